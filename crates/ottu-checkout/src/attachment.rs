//! Attachments: [`AttachmentFile`] (checked locally) and the upload endpoint
//! `POST /b/checkout/v1/upload-attachment/` (multipart only).
//!
//! Rules checked before sending (CHECKOUT_API.md §11): extension one of
//! [`ATTACHMENT_EXTENSIONS`], original file name at most 100 characters, at most
//! [`MAX_ATTACHMENT_BYTES`], and `session_id` *or* `order_no`, not both.

use std::path::Path;
use std::sync::Arc;

use reqwest::Method;
use serde::{Deserialize, Serialize};

pub use crate::checkout::validate::ATTACHMENT_EXTENSIONS;
use crate::checkout::validate::has_attachment_extension;
use crate::client::{Client, FilePart, Payload};
use crate::de;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrderNo, SessionId};

/// Upper size limit, 2.5 MB (2.5 × 1024 × 1024 bytes).
pub const MAX_ATTACHMENT_BYTES: usize = 2_621_440;

/// Longest accepted original file name.
pub const MAX_FILE_NAME_CHARS: usize = 100;

const UPLOAD_PATH: &str = "b/checkout/v1/upload-attachment/";

/// A file to attach, already checked against the API's limits. Cloning shares the bytes.
#[derive(Clone)]
pub struct AttachmentFile {
    file_name: String,
    bytes: Arc<[u8]>,
}

impl std::fmt::Debug for AttachmentFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentFile")
            .field("file_name", &self.file_name)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl AttachmentFile {
    /// Checks name and size; errors are [`Error::Validation`] under the field `field`
    /// (`"file"` for the upload endpoint, `"attachment"` for create).
    fn checked(file_name: String, bytes: Arc<[u8]>, field: &str) -> Result<Self> {
        let mut errors = FieldErrors::new();
        if file_name.trim().is_empty() {
            errors.add(field, "The submitted file has no name.");
        } else if !has_attachment_extension(&file_name) {
            let ext = file_name.rsplit_once('.').map_or("", |(_, e)| e);
            errors.add(
                field,
                format!(
                    "File extension '{ext}' is not allowed. Allowed extensions are: {}.",
                    ATTACHMENT_EXTENSIONS.join(", ")
                ),
            );
        }
        let name_len = file_name.chars().count();
        if name_len > MAX_FILE_NAME_CHARS {
            errors.add(
                field,
                format!(
                    "Ensure this filename has at most {MAX_FILE_NAME_CHARS} characters (it has {name_len})."
                ),
            );
        }
        if bytes.is_empty() {
            errors.add(field, "The submitted file is empty.");
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            errors.add(
                field,
                format!("The file is larger than 2.5 MB ({} bytes).", bytes.len()),
            );
        }
        if errors.is_empty() {
            Ok(Self { file_name, bytes })
        } else {
            Err(Error::local(errors))
        }
    }

    /// A file from memory: `file_name` is what the server sees (e.g. `invoice.pdf`).
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Result<Self> {
        Self::checked(file_name.into(), Arc::from(bytes.into()), "file")
    }

    /// Reads a file from disk, using its file name.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let mut errors = FieldErrors::new();
        let size = tokio::fs::metadata(path).await.map(|m| m.len());
        match size {
            Ok(len) if len > MAX_ATTACHMENT_BYTES as u64 => {
                errors.add(
                    "file",
                    format!("The file is larger than 2.5 MB ({len} bytes)."),
                );
                return Err(Error::local(errors));
            }
            Ok(_) => {}
            Err(e) => {
                errors.add("file", format!("Cannot read {}: {e}", path.display()));
                return Err(Error::local(errors));
            }
        }
        match tokio::fs::read(path).await {
            Ok(bytes) => Self::checked(file_name, Arc::from(bytes), "file"),
            Err(e) => {
                errors.add("file", format!("Cannot read {}: {e}", path.display()));
                Err(Error::local(errors))
            }
        }
    }

    /// The file name sent to the server.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty (never true for a checked file).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Content type derived from the extension.
    pub fn mime_type(&self) -> &'static str {
        let lower = self.file_name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "pdf" => "application/pdf",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "doc" => "application/msword",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xls" => "application/vnd.ms-excel",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "txt" => "text/plain",
            _ => "application/octet-stream",
        }
    }

    pub(crate) fn shared_bytes(&self) -> Arc<[u8]> {
        Arc::clone(&self.bytes)
    }
}

/// Which transaction an upload belongs to (optional; without one the file is stored alone and
/// its `file_url` can be used in `attachment_upload_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentTarget {
    /// By `session_id`.
    SessionId(SessionId),
    /// By `order_no`.
    OrderNo(OrderNo),
}

/// Request of the upload endpoint.
#[derive(Debug, Clone)]
pub struct UploadAttachment {
    /// The file (`file`).
    pub file: AttachmentFile,
    /// `session_id` or `order_no`, or neither.
    pub target: Option<AttachmentTarget>,
    /// `shortify_attachment_url`: needs a target.
    pub shortify_attachment_url: bool,
}

impl UploadAttachment {
    /// A stand-alone upload of `file`.
    pub fn new(file: AttachmentFile) -> Self {
        Self {
            file,
            target: None,
            shortify_attachment_url: false,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.shortify_attachment_url && self.target.is_none() {
            let mut errors = FieldErrors::new();
            errors.add(
                "attachment_short_url",
                "You must provide either `session_id` or `order_no` to identify the PaymentTransaction.",
            );
            return Err(Error::local(errors));
        }
        Ok(())
    }
}

/// Answer of the upload endpoint (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadedAttachment {
    /// Relative path to use as `attachment_upload_url`, e.g.
    /// `payment_transactions/attachments/Ottu_logo_1F31q4q.png`.
    #[serde(default, deserialize_with = "de::string")]
    pub file_url: String,
    /// The name the file was sent with.
    #[serde(default, deserialize_with = "de::opt")]
    pub original_filename: Option<String>,
    /// Short link, when a target and `shortify_attachment_url` were given.
    #[serde(default, deserialize_with = "de::opt")]
    pub attachment_short_url: Option<String>,
}

/// Handler for attachment uploads; get one with [`Client::attachments`].
#[derive(Debug, Clone, Copy)]
pub struct Attachments<'c> {
    client: &'c Client,
}

impl<'c> Attachments<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// Uploads one file (`multipart/form-data`: `file`, optional `session_id`/`order_no`,
    /// `shortify_attachment_url`). Not retried automatically: a repeated upload stores a second
    /// copy (with a random suffix), which is harmless but wasteful.
    pub async fn upload(&self, request: &UploadAttachment) -> Result<UploadedAttachment> {
        request.validate()?;
        let mut fields = Vec::new();
        match &request.target {
            Some(AttachmentTarget::SessionId(id)) => {
                fields.push(("session_id".to_owned(), id.to_string()))
            }
            Some(AttachmentTarget::OrderNo(no)) => {
                fields.push(("order_no".to_owned(), no.to_string()))
            }
            None => {}
        }
        if request.shortify_attachment_url {
            fields.push(("shortify_attachment_url".to_owned(), "true".to_owned()));
        }
        let payload = Payload::Multipart {
            fields,
            file: Some(FilePart {
                field: "file",
                file_name: request.file.file_name().to_owned(),
                mime: request.file.mime_type(),
                bytes: request.file.shared_bytes(),
            }),
        };
        self.client
            .send_once(Method::POST, UPLOAD_PATH, &payload, &[])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_file_checks_extension_name_and_size() {
        assert!(AttachmentFile::new("invoice.pdf", b"%PDF".to_vec()).is_ok());
        let err = AttachmentFile::new("archive.zip", b"PK".to_vec()).unwrap_err();
        assert_eq!(
            err.field_errors().unwrap().messages("file"),
            vec![
                "File extension 'zip' is not allowed. Allowed extensions are: pdf, jpeg, png, doc, docx, jpg, xls, xlsx, txt."
            ]
        );
        let long = format!("{}.pdf", "a".repeat(97));
        assert!(AttachmentFile::new(long, b"x".to_vec()).is_err());
        let just_fits = format!("{}.pdf", "a".repeat(96));
        assert!(AttachmentFile::new(just_fits, b"x".to_vec()).is_ok());
        assert!(AttachmentFile::new("big.txt", vec![b'x'; MAX_ATTACHMENT_BYTES + 1]).is_err());
        assert!(AttachmentFile::new("ok.txt", vec![b'x'; MAX_ATTACHMENT_BYTES]).is_ok());
        assert!(AttachmentFile::new("empty.txt", Vec::new()).is_err());
    }

    #[test]
    fn mime_types_follow_the_extension() {
        let f = AttachmentFile::new("Photo.JPG", b"x".to_vec()).unwrap();
        assert_eq!(f.mime_type(), "image/jpeg");
        let f = AttachmentFile::new("notes.txt", b"x".to_vec()).unwrap();
        assert_eq!(f.mime_type(), "text/plain");
    }

    #[test]
    fn shortify_needs_a_target() {
        let file = AttachmentFile::new("a.pdf", b"x".to_vec()).unwrap();
        let mut req = UploadAttachment::new(file);
        req.shortify_attachment_url = true;
        let err = req.validate().unwrap_err();
        assert!(err.field_errors().unwrap().contains("attachment_short_url"));
    }
}
