//! `POST /b/checkout/v1/upload-attachment/`: multipart upload and its plain-string errors.

use ottu_checkout::attachment::{AttachmentFile, AttachmentTarget, UploadAttachment};
use ottu_checkout::{Error, SessionId};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn};

const UPLOAD_PATH: &str = "/b/checkout/v1/upload-attachment/";

fn upload() -> UploadAttachment {
    UploadAttachment::new(AttachmentFile::new("Ottu_logo.png", b"\x89PNG fake".to_vec()).unwrap())
}

#[tokio::test]
async fn upload_sends_the_file_and_target_as_multipart() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(UPLOAD_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(|req: &wiremock::Request| {
            let ct = req
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let body = String::from_utf8_lossy(&req.body);
            ct.starts_with("multipart/form-data; boundary=")
                && body.contains("name=\"file\"; filename=\"Ottu_logo.png\"")
                && body.contains("Content-Type: image/png")
                && body.contains(&format!("name=\"session_id\"\r\n\r\n{SESSION_ID}\r\n"))
                && body.contains("name=\"shortify_attachment_url\"\r\n\r\ntrue\r\n")
                && !body.contains("name=\"order_no\"")
        })
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("upload_response_short.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let mut request = upload();
    request.target = Some(AttachmentTarget::SessionId(
        SessionId::parse(SESSION_ID).unwrap(),
    ));
    request.shortify_attachment_url = true;

    let uploaded = api.client.attachments().upload(&request).await.unwrap();

    assert_eq!(
        uploaded.file_url,
        "payment_transactions/attachments/Ottu_logo_1F31q4q.png"
    );
    assert_eq!(uploaded.original_filename.as_deref(), Some("Ottu_logo.png"));
    assert_eq!(
        uploaded.attachment_short_url.as_deref(),
        Some("https://e.pay.kn/27opcB5ZqxlM")
    );
}

#[tokio::test]
async fn stand_alone_upload_has_no_short_url() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(UPLOAD_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("upload_response.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let uploaded = api.client.attachments().upload(&upload()).await.unwrap();
    assert_eq!(uploaded.attachment_short_url, None);
}

#[tokio::test]
async fn each_upload_error_shape_maps_to_field_errors() {
    for (name, field) in [
        ("upload_error_no_file.json", "file"),
        ("upload_error_extension.json", "file"),
        ("upload_error_both_ids.json", "session_id"),
        ("upload_error_both_ids.json", "order_no"),
        ("upload_error_unknown_order_no.json", "order_no"),
        ("upload_error_unknown_session_id.json", "session_id"),
        (
            "upload_error_shortify_without_id.json",
            "attachment_short_url",
        ),
        ("upload_error_list_wrapped.json", "file"),
    ] {
        let api = spawn().await;
        let body = fixture_json(name);
        Mock::given(method("POST"))
            .and(path(UPLOAD_PATH))
            .respond_with(ResponseTemplate::new(400).set_body_json(body.clone()))
            .expect(1)
            .mount(&api.server)
            .await;
        let err = api
            .client
            .attachments()
            .upload(&upload())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Validation {
                    status: Some(400),
                    ..
                }
            ),
            "{name}"
        );
        let expected = match &body[field] {
            serde_json::Value::String(s) => s.clone(),
            list => list[0].as_str().unwrap().to_owned(),
        };
        assert_eq!(
            err.field_errors().unwrap().messages(field),
            vec![expected.as_str()],
            "{name}"
        );
    }
}

#[tokio::test]
async fn bad_files_are_refused_before_sending() {
    let err = AttachmentFile::new("archive.zip", b"PK".to_vec()).unwrap_err();
    assert!(err.is_local_validation());
    let long_name = format!("{}.pdf", "x".repeat(120));
    assert!(AttachmentFile::new(long_name, b"%PDF".to_vec()).is_err());
    let dir = std::env::temp_dir().join(format!("ottu-checkout-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("receipt.txt");
    std::fs::write(&file, b"thank you").unwrap();
    let loaded = AttachmentFile::from_path(&file).await.unwrap();
    assert_eq!(loaded.file_name(), "receipt.txt");
    assert_eq!(loaded.len(), 9);
    std::fs::remove_dir_all(&dir).unwrap();
}
