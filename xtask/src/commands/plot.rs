//! The charts of `cargo xtask bench --plot`: each measurement of the bench is saved as JSON in
//! `benchmarks/data/` (with the machine and the date it was taken on), and every chart is drawn
//! from those files into `benchmarks/*.svg` with plotters, so a run that measures only some
//! parts (`--no-peer`, `--crate-only`) redraws the others from their last data. BENCHMARKS.md and
//! the README show the SVGs; nothing edits them by hand.
//!
//! Must not: measure anything itself (the bench's modules do, and hand their numbers here).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use crate::root;

/// Where the charts and their data live.
pub fn dir() -> PathBuf {
    root().join("benchmarks")
}

/// The machine a measurement was taken on, and when.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Machine {
    /// Logical cores.
    pub cores: usize,
    /// Memory, GiB.
    pub memory_gib: f64,
    /// `YYYY-MM-DD HH:MM UTC`.
    pub date: String,
}

impl Machine {
    /// This machine, now.
    pub fn now() -> Machine {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let memory_gib = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                let line = m.lines().find(|l| l.starts_with("MemTotal:"))?.to_owned();
                line.split_whitespace().nth(1)?.parse::<f64>().ok()
            })
            .map_or(0.0, |kib| kib / (1024.0 * 1024.0));
        let date = std::process::Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC"])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        Machine { cores, memory_gib, date }
    }

    /// For captions: "2 cores, 23 GiB, 2026-12-06 21:00 UTC".
    fn caption(&self) -> String {
        format!("{} cores, {:.0} GiB, {}", self.cores, self.memory_gib, self.date)
    }
}

/// One spec's generation time (chart 1).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Generation {
    pub spec: String,
    pub bytes: u64,
    pub secs: f64,
}

/// One generator's crate for one spec under `cargo check` (chart 2).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Check {
    pub spec: String,
    pub generator: String,
    pub bytes: u64,
    pub check_secs: f64,
    pub check_peak_mb: f64,
}

/// GitHub's crate compiled with one set of features (chart 3).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FeatureSet {
    pub name: String,
    pub secs: f64,
    pub peak_mb: f64,
}

/// One streaming phase at one body size (chart 4).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Stream {
    pub phase: String,
    pub bytes: u64,
    pub above_idle_mb: f64,
}

/// A data file: what was measured, where and when.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Data<T> {
    pub machine: Machine,
    pub points: Vec<T>,
}

const GENERATION: &str = "generation";
const CHECK: &str = "check";
const FEATURES: &str = "github-features";
const STREAMS: &str = "streams";

fn data_path(name: &str) -> PathBuf {
    dir().join("data").join(format!("{name}.json"))
}

fn save<T: Serialize>(name: &str, points: Vec<T>) -> Result<()> {
    let path = data_path(name);
    std::fs::create_dir_all(path.parent().expect("a parent"))?;
    let data = Data { machine: Machine::now(), points };
    std::fs::write(&path, serde_json::to_string_pretty(&data)? + "\n").with_context(|| format!("{}", path.display()))
}

fn load<T: for<'de> Deserialize<'de>>(name: &str) -> Result<Option<Data<T>>> {
    let path = data_path(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(serde_json::from_str(&text).with_context(|| format!("{}", path.display()))?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("{}", path.display())),
    }
}

/// Saves chart 1's data.
pub fn save_generation(points: Vec<Generation>) -> Result<()> {
    save(GENERATION, points)
}

/// Saves chart 2's data.
pub fn save_check(points: Vec<Check>) -> Result<()> {
    save(CHECK, points)
}

/// Saves chart 3's data.
pub fn save_features(points: Vec<FeatureSet>) -> Result<()> {
    save(FEATURES, points)
}

/// Saves chart 4's data.
pub fn save_streams(points: Vec<Stream>) -> Result<()> {
    save(STREAMS, points)
}

/// Draws every chart whose data exists; returns the files written.
pub fn draw_all() -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let out = dir();
    if let Some(data) = load::<Generation>(GENERATION)? {
        written.push(chart(&out, GENERATION, |path| generation_chart(&data, path))?);
    }
    if let Some(data) = load::<Check>(CHECK)? {
        written.push(chart(&out, CHECK, |path| check_chart(&data, path))?);
    }
    if let Some(data) = load::<FeatureSet>(FEATURES)? {
        written.push(chart(&out, FEATURES, |path| features_chart(&data, path))?);
    }
    if let Some(data) = load::<Stream>(STREAMS)? {
        written.push(chart(&out, STREAMS, |path| streams_chart(&data, path))?);
    }
    Ok(written)
}

/// plotters' errors carry the backend's error type; this keeps the message.
fn plot_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing a chart: {e}")
}

const FONT: &str = "sans-serif";
const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;
const OURS: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
const PEER: RGBColor = RGBColor(0xd6, 0x27, 0x28);
const PALETTE: [RGBColor; 5] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
];

/// Least squares on (log x, log y): the exponent `k` and factor `c` of `y = c·x^k`.
pub fn power_fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let logs: Vec<(f64, f64)> =
        points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0).map(|(x, y)| (x.log10(), y.log10())).collect();
    let n = logs.len() as f64;
    if n < 2.0 {
        return None;
    }
    let (sx, sy) = logs.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    if sxx == 0.0 {
        return None;
    }
    let k = sxy / sxx;
    Some((k, 10f64.powf(my - k * mx)))
}

/// The range of `values` widened to whole powers of ten, for a log axis.
fn log_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.filter(|v| *v > 0.0).fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return 1.0..10.0;
    }
    10f64.powf(lo.log10().floor())..10f64.powf(hi.log10().ceil().max(lo.log10().floor() + 1.0))
}

/// A size in bytes as the axes show it.
fn bytes_label(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.0} MB", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.0} kB", v / 1e3)
    } else {
        format!("{v:.0} B")
    }
}

/// Draws the chart `name` into `out/{name}.svg` and returns that path.
fn chart(out: &Path, name: &str, draw: impl FnOnce(&Path) -> Result<()>) -> Result<PathBuf> {
    let path = out.join(format!("{name}.svg"));
    draw(&path)?;
    Ok(path)
}

/// A log-log chart on an SVG file.
type SizeChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<LogCoord<f64>, LogCoord<f64>>>;

/// A log-log chart of something against spec size, its axes drawn.
fn size_chart<'a, 'b>(
    area: &'a Area<'b>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    y_desc: &str,
) -> Result<SizeChart<'a, 'b>> {
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x.log_scale(), y.log_scale())
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc("spec size")
        .y_desc(y_desc)
        .x_label_formatter(&|v| bytes_label(*v))
        .y_label_formatter(&|v| format!("{v}"))
        .draw()
        .map_err(plot_err)?;
    Ok(chart)
}

/// The chart's legend, boxed, at `position`.
fn legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    position: SeriesLabelPosition,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(plot_err)
}

/// A chart's drawing area, on an SVG file.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn titled<'a>(path: &'a Path, title: &str) -> Result<Area<'a>> {
    let root = SVGBackend::new(path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    root.titled(title, (FONT, 18)).map_err(plot_err)
}

/// Chart 1: generation time against spec size, log-log, one point per spec, with the fitted
/// power law.
fn generation_chart(data: &Data<Generation>, path: &Path) -> Result<()> {
    let points: Vec<(f64, f64)> = data.points.iter().map(|p| (p.bytes as f64, p.secs)).collect();
    let fit = power_fit(&points);
    let fitted = fit.map_or(String::new(), |(k, _)| format!(", time ∝ size^{k:.2}"));
    let title =
        format!("Generation time against spec size: {} specs{fitted} ({})", points.len(), data.machine.caption());
    let area = titled(path, &title)?;
    let xr = log_range(points.iter().map(|p| p.0));
    let yr = log_range(points.iter().map(|p| p.1));
    let mut chart = size_chart(&area, xr.clone(), yr, "seconds, end to end (in process)")?;
    chart
        .draw_series(points.iter().map(|&p| Circle::new(p, 2, OURS.mix(0.45).filled())))
        .map_err(plot_err)?
        .label("one spec")
        .legend(|(x, y)| Circle::new((x, y), 3, OURS.filled()));
    if let Some((k, c)) = fit {
        let line = [xr.start, xr.end].map(|x| (x, c * x.powf(k)));
        chart
            .draw_series(LineSeries::new(line, PEER.stroke_width(2)))
            .map_err(plot_err)?
            .label(format!("least squares on the logs: exponent {k:.2}"))
            .legend(|(x, y)| PathElement::new([(x - 8, y), (x + 8, y)], PEER.stroke_width(2)));
    }
    legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
    area.present().map_err(plot_err)
}

/// Chart 2: `cargo check` time and peak memory against spec size, ours and the peer.
fn check_chart(data: &Data<Check>, path: &Path) -> Result<()> {
    let title = format!("cargo check of the generated crate, by spec size ({})", data.machine.caption());
    let area = titled(path, &title)?;
    let (left, right) = area.split_horizontally(WIDTH / 2);
    let mut generators: Vec<&str> = data.points.iter().map(|p| p.generator.as_str()).collect();
    generators.sort();
    generators.dedup();
    let time: fn(&Check) -> f64 = |p| p.check_secs;
    let panels = [(&left, "check time, seconds", time), (&right, "check peak memory, MB", |p: &Check| p.check_peak_mb)];
    for (panel, what, value) in panels {
        let xr = log_range(data.points.iter().map(|p| p.bytes as f64));
        let yr = log_range(data.points.iter().map(value));
        let mut chart = size_chart(panel, xr, yr, what)?;
        for generator in &generators {
            let color = if generator.contains("this") { OURS } else { PEER };
            let mut series: Vec<(f64, f64, &str)> = data
                .points
                .iter()
                .filter(|p| p.generator == *generator)
                .map(|p| (p.bytes as f64, value(p), p.spec.as_str()))
                .collect();
            series.sort_by(|a, b| a.0.total_cmp(&b.0));
            chart
                .draw_series(LineSeries::new(series.iter().map(|p| (p.0, p.1)), color.stroke_width(2)))
                .map_err(plot_err)?
                .label(generator.to_string())
                .legend(move |(x, y)| PathElement::new([(x - 8, y), (x + 8, y)], color.stroke_width(2)));
            chart
                .draw_series(series.iter().map(|p| {
                    EmptyElement::at((p.0, p.1))
                        + Circle::new((0, 0), 4, color.filled())
                        + Text::new(p.2.to_owned(), (6, -14), (FONT, 12))
                }))
                .map_err(plot_err)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    }
    area.present().map_err(plot_err)
}

/// Chart 3: GitHub's crate, check time and peak memory per feature set, as bars.
fn features_chart(data: &Data<FeatureSet>, path: &Path) -> Result<()> {
    let title = format!("GitHub's generated crate by feature set ({})", data.machine.caption());
    let area = titled(path, &title)?;
    let (left, right) = area.split_horizontally(WIDTH / 2);
    let names: Vec<String> = data.points.iter().map(|p| p.name.clone()).collect();
    let time: fn(&FeatureSet) -> f64 = |p| p.secs;
    let panels = [(&left, "seconds", time, OURS), (&right, "peak memory, MB", |p: &FeatureSet| p.peak_mb, PALETTE[1])];
    // Horizontal bars, one per feature set from the bottom up, so the names read across.
    let n = data.points.len();
    let label = |y: &f64| {
        let i = y.round();
        if (y - i).abs() < 0.01 && i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    for (panel, what, value, color) in panels {
        let max = data.points.iter().map(value).fold(0.0, f64::max) * 1.2;
        let mut chart = ChartBuilder::on(panel)
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(130)
            .build_cartesian_2d(0.0..max.max(1.0), -0.5..n as f64 - 0.5)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&label)
            .x_desc(what)
            .draw()
            .map_err(plot_err)?;
        chart
            .draw_series(data.points.iter().enumerate().map(|(i, p)| {
                let y = i as f64;
                Rectangle::new([(0.0, y - 0.35), (value(p), y + 0.35)], color.mix(0.8).filled())
            }))
            .map_err(plot_err)?;
        chart
            .draw_series(data.points.iter().enumerate().map(|(i, p)| {
                let v = value(p);
                Text::new(format!("{v:.0}"), (v + max * 0.01, i as f64 + 0.1), (FONT, 12))
            }))
            .map_err(plot_err)?;
    }
    area.present().map_err(plot_err)
}

/// Chart 4: peak memory above the idle client against body size, per streaming phase.
fn streams_chart(data: &Data<Stream>, path: &Path) -> Result<()> {
    let title = format!("Streaming: peak memory above the idle client, by body size ({})", data.machine.caption());
    let area = titled(path, &title)?;
    let mut phases: Vec<&str> = Vec::new();
    for p in &data.points {
        if !phases.contains(&p.phase.as_str()) {
            phases.push(&p.phase);
        }
    }
    let xr = log_range(data.points.iter().map(|p| p.bytes as f64));
    let top = data.points.iter().map(|p| p.above_idle_mb).fold(16.0, f64::max) * 1.15;
    let mut chart = ChartBuilder::on(&area)
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(xr.log_scale(), 0.0..top)
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc("body size")
        .y_desc("peak RSS above the idle client, MiB")
        .x_label_formatter(&|v| bytes_label(*v))
        .draw()
        .map_err(plot_err)?;
    for (i, phase) in phases.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let mut series: Vec<(f64, f64)> =
            data.points.iter().filter(|p| p.phase == *phase).map(|p| (p.bytes as f64, p.above_idle_mb)).collect();
        series.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(series.iter().copied(), color.stroke_width(2)))
            .map_err(plot_err)?
            .label(phase.to_string())
            .legend(move |(x, y)| PathElement::new([(x - 8, y), (x + 8, y)], color.stroke_width(2)));
        chart.draw_series(series.iter().map(|&p| Circle::new(p, 3, color.filled()))).map_err(plot_err)?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    area.present().map_err(plot_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fit_finds_the_exponent() {
        let points: Vec<(f64, f64)> =
            (1..50).map(|i| (i as f64 * 1000.0, 3e-6 * (i as f64 * 1000.0).powf(1.2))).collect();
        let (k, c) = power_fit(&points).unwrap();
        assert!((k - 1.2).abs() < 1e-9, "{k}");
        assert!((c - 3e-6).abs() < 1e-12, "{c}");
        assert!(power_fit(&[(1.0, 1.0)]).is_none());
    }

    /// Every chart draws from data of each kind, and names the machine and date in its title.
    #[test]
    fn charts_are_drawn() {
        let out = std::env::temp_dir().join(format!("xtask-plot-{}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        let machine = Machine { cores: 2, memory_gib: 23.0, date: "2026-12-06 21:00 UTC".into() };
        let generation = Data {
            machine: machine.clone(),
            points: (1..200)
                .map(|i| Generation { spec: format!("s{i}"), bytes: i * 5000, secs: 1e-7 * (i * 5000) as f64 })
                .collect(),
        };
        let check = Data {
            machine: machine.clone(),
            points: [("Runloop", 200_000u64, 2.0, 300.0), ("GitHub", 13_000_000, 20.0, 1500.0)]
                .into_iter()
                .flat_map(|(spec, bytes, secs, mb)| {
                    ["this generator", "openapi-to-rust"].map(|generator| Check {
                        spec: spec.into(),
                        generator: generator.into(),
                        bytes,
                        check_secs: secs,
                        check_peak_mb: mb,
                    })
                })
                .collect(),
        };
        let features = Data {
            machine: machine.clone(),
            points: vec![
                FeatureSet { name: "issues".into(), secs: 3.0, peak_mb: 400.0 },
                FeatureSet { name: "default".into(), secs: 21.0, peak_mb: 1500.0 },
            ],
        };
        let streams = Data {
            machine,
            points: [16u64, 256]
                .map(|mib| Stream { phase: "download".into(), bytes: mib << 20, above_idle_mb: 2.0 })
                .into(),
        };
        let files = [
            chart(&out, GENERATION, |path| generation_chart(&generation, path)).unwrap(),
            chart(&out, CHECK, |path| check_chart(&check, path)).unwrap(),
            chart(&out, FEATURES, |path| features_chart(&features, path)).unwrap(),
            chart(&out, STREAMS, |path| streams_chart(&streams, path)).unwrap(),
        ];
        for file in files {
            let svg = std::fs::read_to_string(&file).unwrap();
            assert!(
                svg.starts_with("<svg") && svg.contains("2 cores, 23 GiB, 2026-12-06 21:00 UTC"),
                "{}",
                file.display()
            );
        }
        let generation = std::fs::read_to_string(out.join("generation.svg")).unwrap();
        assert!(generation.contains("size^1.00"), "the fitted exponent is in the title");
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn log_ranges_are_whole_decades() {
        assert_eq!(log_range([0.05, 3.0].into_iter()), 0.01..10.0);
        assert_eq!(log_range([200.0].into_iter()), 100.0..1000.0);
        assert_eq!(log_range(std::iter::empty()), 1.0..10.0);
    }
}
