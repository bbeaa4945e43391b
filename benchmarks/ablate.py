#!/usr/bin/env python3
"""Edits a copy of a generated crate to price one part of its compile cost (BENCHMARKS.md,
"Where the default check goes"). Measuring tools, not the generator: the edited crate is
measured with `/usr/bin/time cargo check` and thrown away; it compiles, but does nothing useful.

    cp -r github github-edit
    python3 benchmarks/ablate.py EDIT github-edit/src/types.rs [github-edit/src/resources.rs ...]

EDIT is one of:
  bodies-of=PATTERN  replace the body of the first fn after each match of the regex PATTERN (an
                     impl header, e.g. 'impl crate::runtime::object::Object for \\w+')
  all-bodies         replace every fn body (`std::future::pending()` where it returns a future)
  no-eq              drop PartialEq/Eq/Hash from the derives of types that have no Ord impl
  no-std-derives     drop every `::std::` derive of types that have no Ord impl
  typed-slots        write the type of every `from_fields` slot (`let mut id: Option<i64>`)
  index-match        match on the key's index in a name table (needs `Fields::field`, below)
  tuple-slots        all slots of a `from_fields` in one tuple
  value-reader       `from_fields` as one struct literal read from a map of JSON values
                     (`m.required("id")?`, needs `Fields::into_map`, below)

`index-match` calls a method the runtime does not have; add it to `src/runtime/object.rs`'s
`impl Fields` of the edited crate:

    pub(crate) fn field(&mut self, names: &'static [&'static str]) -> Result<Option<usize>, A::Error> {
        while let Some(key) = self.map.next_key::<Key<'de>>()? {
            match names.iter().position(|n| *n == key.as_str()) {
                Some(i) => return Ok(Some(i)),
                None => self.skip(&key)?,
            }
        }
        Ok(None)
    }

`value-reader` calls a method and a type the runtime does not have either: add to
`src/runtime/object.rs` (bodies left out: the edit prices the generated code, not the reading)

    pub(crate) struct ObjectMap<E>(PhantomData<E>);
    impl<E: serde::de::Error> ObjectMap<E> {
        pub(crate) fn required<T: serde::de::DeserializeOwned>(&mut self, name: &'static str) -> Result<T, E> { unimplemented!() }
        pub(crate) fn optional<T: serde::de::DeserializeOwned>(&mut self, name: &'static str) -> Result<Option<T>, E> { unimplemented!() }
        pub(crate) fn nullable<T: serde::de::DeserializeOwned>(&mut self, name: &'static str) -> Result<Nullable<T>, E> { unimplemented!() }
    }

and to `impl Fields`: `pub(crate) fn into_map(self) -> Result<ObjectMap<A::Error>, A::Error> { unimplemented!() }`.

The regular expressions read prettyplease's layout of generated files; a file written otherwise
is not what they expect.
"""

import re
import sys

STUB = "{ ::std::unimplemented!() }"
FUTURE_STUB = "{ ::std::future::pending() }"


def body_end(src, start, strings=True):
    """The index of the `}` closing the block opened at `start`, skipping string literals (a
    struct's body has none, but its doc comments may hold a lone `"`: `strings=False`)."""
    k, depth = start, 0
    while True:
        c = src[k]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return k
        elif c == '"' and strings:
            k += 1
            while src[k] != '"':
                if src[k] == "\\":
                    k += 1
                k += 1
        k += 1


def body_start(src, start):
    """The index of the `{` opening the body of the fn whose name ends at `start`, or None for a
    declaration without a body."""
    j, depth = start, 0
    while True:
        c = src[j]
        if c in "(<[":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == ">" and src[j - 1] != "-":
            depth -= 1
        elif c == ";" and depth == 0:
            return None
        elif c == "{" and depth == 0:
            return j
        j += 1


def replace_bodies(src, fn_starts):
    out, pos, n = [], 0, 0
    for m in fn_starts(src):
        if m.start() < pos:
            continue
        j = body_start(src, m.end())
        if j is None:
            continue
        k = body_end(src, j)
        stub = FUTURE_STUB if "impl ::std::future::Future" in src[m.start():j] else STUB
        out += [src[pos:j], stub]
        pos, n = k + 1, n + 1
    out.append(src[pos:])
    return "".join(out), n


def bodies_of(src, pattern):
    rx = re.compile(pattern)
    fn = re.compile(r"\bfn \w+")
    return replace_bodies(src, lambda s: (fn.search(s, m.end()) for m in rx.finditer(s)))


def all_bodies(src):
    return replace_bodies(src, lambda s: re.finditer(r"\bfn \w+", s))


def drop_derives(src, drop):
    ordered = set(re.findall(r"impl ::std::cmp::(?:Ord|PartialOrd|Hash)\s+for\s+(\w+)", src))
    n = 0

    def edit(m):
        nonlocal n
        if m.group(3) in ordered:
            return m.group(0)
        items = [x.strip() for x in m.group(1).split(",") if x.strip()]
        keep = [x for x in items if not drop(x)]
        n += 1
        return ("#[derive(" + ", ".join(keep) + ")]" if keep else "") + m.group(2) + m.group(3)

    rx = r"#\[derive\(([^\]]*)\)\]((?:\s*#\[[^\]]*\])*\s*pub (?:struct|enum) )(\w+)"
    return re.sub(rx, edit, src), n


def struct_fields(src):
    """Each struct's fields and their types, as written."""
    structs = {}
    for m in re.finditer(r"\npub struct (\w+) \{", src):
        body = src[m.end():body_end(src, m.end() - 1, strings=False)]
        body = re.sub(r"^\s*(///|#\[).*$", "", body, flags=re.M)
        fields, depth, cur = {}, 0, ""
        for c in body + ",":
            depth += c in "<([" and 1 or 0
            depth -= c in ">)]" and 1 or 0
            if c == "," and depth == 0:
                f = re.match(r"pub (?:r#)?(\w+)\s*:\s*(.*)$", cur.strip(), re.S)
                if f:
                    fields[f.group(1)] = " ".join(f.group(2).split())
                cur = ""
            else:
                cur += c
        structs[m.group(1)] = fields
    return structs


def objects(src):
    """Each `Object` impl: its type's name and the span of its body up to the next item."""
    for m in re.finditer(r"impl crate::runtime::object::Object\s+for\s+(\w+)\s*\{", src):
        ends = [i for i in (src.find("\nimpl", m.end()), src.find("\n#[cfg", m.end())) if i >= 0]
        yield m.group(1), m.end(), min(ends, default=len(src))


def rewrite_objects(src, edit):
    out, pos, n = [], 0, 0
    for name, start, end in objects(src):
        new = edit(name, src[start:end])
        if new is not None:
            out += [src[pos:start], new]
            pos, n = end, n + 1
    out.append(src[pos:])
    return "".join(out), n


def typed_slots(src):
    structs = struct_fields(src)

    def edit(name, seg):
        fields = structs.get(name, {})

        def typed(m):
            t = fields.get(m.group(1))
            return m.group(0) if t is None else f"let mut {m.group(1)}: ::std::option::Option<{t}> = ::std::option::Option::None;"

        return re.sub(r"let mut (?:r#)?(\w+) = ::std::option::Option::None;", typed, seg)

    return rewrite_objects(src, edit)


def index_match(src):
    def edit(_, seg):
        head = "while let ::std::option::Option::Some(key) = fields.key()? {"
        skip = "_ => fields.skip(&key),"
        if head not in seg or skip not in seg:
            return None
        names = []

        def arm(m):
            names.append(m.group(2))
            return f"{m.group(1)}{len(names) - 1} =>"

        seg = re.sub(r'^(\s*)"([^"]*)" =>', arm, seg, flags=re.M)
        table = ", ".join(f'"{x}"' for x in names)
        seg = seg.replace(head, f"while let ::std::option::Option::Some(field__) = fields.field(&[{table}])? {{")
        seg = seg.replace("match key.as_str() {", "match field__ {")
        return seg.replace(skip, "_ => ::std::result::Result::Ok(()),")

    return rewrite_objects(src, edit)


def tuple_slots(src):
    def edit(_, seg):
        slots = re.findall(r"let mut ((?:r#)?\w+) = ::std::option::Option::None;", seg)
        if not slots or "additional" in seg:
            return None
        index = {v: i for i, v in enumerate(slots)}
        seg = re.sub(r"\s*let mut ((?:r#)?\w+) = ::std::option::Option::None;", "", seg)
        brace = seg.find("{", seg.find(") ->", seg.find("from_fields")))
        nones = ", ".join(["::std::option::Option::None"] * len(slots)) + ("," if len(slots) == 1 else "")
        seg = seg[: brace + 1] + f"\nlet mut slots__ = ({nones});\n" + seg[brace + 1 :]
        seg = re.sub(r"&mut ((?:r#)?\w+),", lambda m: f"&mut slots__.{index[m.group(1)]}," if m.group(1) in index else m.group(0), seg)
        take = r"(fields(?:_\d+)?)\s*\.(required|optional|nullable)\(\s*((?:r#)?\w+)"
        return re.sub(take, lambda m: f"{m.group(1)}.{m.group(2)}(slots__.{index[m.group(3)]}" if m.group(3) in index else m.group(0), seg)

    return rewrite_objects(src, edit)


def value_reader(src):
    entry = re.compile(r'^\s*(?:r#)?(\w+): (fields(?:_\d+)?)\s*\.(required|optional|nullable)\(\s*(?:r#)?(\w+)(?:,\s*"[^"]*")?\s*\)(\?)?,?\s*$', re.S)

    def edit(_, seg):
        wire = dict((m.group(2), m.group(1)) for m in re.finditer(
            r'"([^"]*)" =>\s*\{?\s*fields(?:_\d+)?\s*\.value\(\s*&mut (?:r#)?(\w+),', seg))
        sig = re.search(r"fn from_fields[^{]*\{", seg)
        lit = seg.find("::std::result::Result::Ok(Self {")
        if not sig or lit < 0 or not wire:
            return None
        close = body_end(seg, lit + len("::std::result::Result::Ok(Self "))
        parts, depth, cur = [], 0, ""
        for c in seg[lit + len("::std::result::Result::Ok(Self {"):close] + ",":
            depth += c in "([{<" and 1 or 0
            depth -= c in ")]}>" and 1 or 0
            if c == "," and depth == 0:
                if cur.strip():
                    parts.append(cur)
                cur = ""
            else:
                cur += c
        fields = []
        for part in parts:
            m = entry.match(part + ",")
            if not m or m.group(4) not in wire:
                return None
            fields.append(f'{part.split(":")[0].strip()}: m.{m.group(3)}("{wire[m.group(4)]}")?')
        name = sig.group(0)
        fields_var = re.search(r"mut (fields(?:_\d+)?):", name).group(1)
        body = f"{{\n let mut m = {fields_var}.into_map()?;\n ::std::result::Result::Ok(Self {{ {', '.join(fields)} }})\n }}"
        end = body_end(seg, sig.end() - 1)
        return seg[: sig.end() - 1] + body + seg[end + 1 :]

    return rewrite_objects(src, edit)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    edit, paths = sys.argv[1], sys.argv[2:]
    eq = {"::std::cmp::PartialEq", "::std::cmp::Eq", "::std::hash::Hash"}
    edits = {
        "all-bodies": all_bodies,
        "no-eq": lambda s: drop_derives(s, lambda d: d in eq),
        "no-std-derives": lambda s: drop_derives(s, lambda d: d.startswith("::std::")),
        "typed-slots": typed_slots,
        "index-match": index_match,
        "tuple-slots": tuple_slots,
        "value-reader": value_reader,
    }
    if edit.startswith("bodies-of="):
        pattern = edit[len("bodies-of="):]
        run = lambda s: bodies_of(s, pattern)
    elif edit in edits:
        run = edits[edit]
    else:
        sys.exit(f"unknown edit {edit!r}\n{__doc__}")
    for path in paths:
        with open(path) as f:
            text, n = run(f.read())
        with open(path, "w") as f:
            f.write(text)
        print(f"{path}: {n} edited", file=sys.stderr)


if __name__ == "__main__":
    main()
