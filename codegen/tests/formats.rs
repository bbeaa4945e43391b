//! Typed string formats on the wire, against an in-process server (wiremock): `date-time`
//! (`chrono::DateTime<Utc>`), `date` (`chrono::NaiveDate`) and `uuid` (`uuid::Uuid`) in paths,
//! query strings, headers and bodies, and a malformed value in a response, which is a decode error
//! naming its field. The types are the `formats` fixture's fields, with serde's derive standing in
//! for the impls the generator writes (that fixture shows and compiles them; `runloop_types.rs`
//! tests them); the runtime is the real one.

#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "FORMATS_TEST", default_base_url: None, schemes: &[], security: &[] };

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use reqwest::Method;
use runtime::{Client, Error, Nullable, PathBuilder, RequestBuilder, decode_json};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The `formats` fixture's `Event`, in part.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Event {
    id: Uuid,
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    day: Option<NaiveDate>,
    cancelled_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    ended_at: Nullable<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminders: Option<Vec<DateTime<Utc>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owners: Option<std::collections::BTreeMap<String, Uuid>>,
}

#[derive(Debug, serde::Deserialize)]
struct EventPage {
    data: Vec<Event>,
}

const ID: &str = "4f6c2b8e-1d3a-4c5b-9e7f-0a1b2c3d4e5f";

fn event_json(at: &str) -> serde_json::Value {
    json!({"id": ID, "at": at, "day": "2024-05-01", "cancelled_at": null, "reminders": [at]})
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).max_retries(0).build().unwrap()
}

async fn respond(server: &MockServer, body: serde_json::Value) {
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(server).await;
}

async fn get<T: serde::de::DeserializeOwned + Send + 'static>(server: &MockServer) -> Result<T, Error> {
    RequestBuilder::new(&client(server), Method::GET, "getEvent", Ok("/events".into()), decode_json).await
}

#[tokio::test]
async fn a_response_decodes_to_values_users_compare_and_do_arithmetic_on() {
    let server = MockServer::start().await;
    respond(&server, event_json("2024-05-01T12:30:00.250+02:00")).await;
    let event: Event = get(&server).await.unwrap();
    // Any offset is read and converted to UTC.
    let expected = Utc.with_ymd_and_hms(2024, 5, 1, 10, 30, 0).unwrap() + TimeDelta::milliseconds(250);
    assert_eq!(event.at, expected);
    assert!(event.at < Utc::now());
    assert_eq!(event.at + TimeDelta::hours(1) - event.at, TimeDelta::hours(1));
    assert_eq!(event.day, NaiveDate::from_ymd_opt(2024, 5, 1));
    assert_eq!(event.id, Uuid::parse_str(ID).unwrap());
    assert_eq!(event.cancelled_at, None);
    assert_eq!(event.ended_at, Nullable::Absent);
    assert_eq!(event.reminders, Some(vec![expected]));
}

#[tokio::test]
async fn values_are_written_as_rfc_3339_iso_dates_and_hyphenated_uuids() {
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 10, 30, 0).unwrap();
    let event = Event {
        id: Uuid::parse_str(ID).unwrap(),
        at,
        day: NaiveDate::from_ymd_opt(2024, 5, 1),
        cancelled_at: None,
        ended_at: Nullable::Value(at + TimeDelta::milliseconds(1500)),
        reminders: None,
        owners: Some([("alice".to_owned(), Uuid::nil())].into()),
    };
    let body = serde_json::to_value(&event).unwrap();
    assert_eq!(
        body,
        json!({
            "id": ID,
            "at": "2024-05-01T10:30:00Z",
            "day": "2024-05-01",
            "cancelled_at": null,
            "ended_at": "2024-05-01T10:30:01.500Z",
            "owners": {"alice": "00000000-0000-0000-0000-000000000000"},
        })
    );
    let back: Event = serde_json::from_value(body).unwrap();
    assert_eq!(back, event);
}

#[tokio::test]
async fn parameters_are_sent_as_rfc_3339_and_iso_dates_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 10, 30, 0).unwrap();
    let id = Uuid::parse_str(ID).unwrap();
    // As the `formats` fixture's `events_at` and `list_events` build them.
    let path = PathBuilder::new("/days/{day}/events/{at}")
        .literal("/days/")
        .param(&day)
        .literal("/events/")
        .param(&at)
        .finish();
    RequestBuilder::new(&client(&server), Method::GET, "eventsAt", path, runtime::decode_empty)
        .query_param("since", &Some(at))
        .query_param("on", &Some(day))
        .query_param("ids", &Some(vec![id, Uuid::nil()]))
        .query_param("until", &None::<DateTime<Utc>>)
        .header_param("X-As-Of", &Some(day))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let url = &requests[0].url;
    assert_eq!(url.path(), "/days/2024-05-01/events/2024-05-01T10%3A30%3A00Z");
    assert_eq!(
        url.query(),
        Some(&*format!(
            "since=2024-05-01T10%3A30%3A00Z&on=2024-05-01&ids={ID}&ids=00000000-0000-0000-0000-000000000000"
        ))
    );
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("since".to_owned(), "2024-05-01T10:30:00Z".to_owned()));
    assert_eq!(requests[0].headers.get("x-as-of").unwrap(), "2024-05-01");
}

#[tokio::test]
async fn a_malformed_timestamp_is_a_decode_error_naming_its_field() {
    let server = MockServer::start().await;
    respond(&server, json!({"data": [event_json("2024-05-01T10:30:00Z")]})).await;
    assert_eq!(get::<EventPage>(&server).await.unwrap().data.len(), 1);
    server.reset().await;
    // No offset: not RFC 3339.
    respond(&server, json!({"data": [event_json("2024-05-01T10:30:00Z"), event_json("2024-05-01 10:30:00")]})).await;
    let err = get::<EventPage>(&server).await.unwrap_err();
    match &err {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "data[1].at");
            assert!(message.contains("premature end of input"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn malformed_dates_and_uuids_are_decode_errors_naming_their_fields() {
    let server = MockServer::start().await;
    let mut bad_day = event_json("2024-05-01T10:30:00Z");
    bad_day["day"] = json!("2024-02-30");
    let mut bad_id = event_json("2024-05-01T10:30:00Z");
    bad_id["id"] = json!("not-a-uuid");
    let mut bad_reminder = event_json("2024-05-01T10:30:00Z");
    bad_reminder["reminders"] = json!(["2024-05-01T10:30:00Z", "yesterday"]);
    let mut bad_owner = event_json("2024-05-01T10:30:00Z");
    bad_owner["owners"] = json!({"alice": "42"});
    let cases = [
        (bad_day, "data[0].day"),
        (bad_id, "data[0].id"),
        (bad_reminder, "data[0].reminders[1]"),
        (bad_owner, "data[0].owners.alice"),
    ];
    for (event, expected) in cases {
        server.reset().await;
        respond(&server, json!({"data": [event]})).await;
        match get::<EventPage>(&server).await.unwrap_err() {
            Error::Decode { path, .. } => assert_eq!(path, expected),
            other => panic!("{expected}: {other:?}"),
        }
    }
}
