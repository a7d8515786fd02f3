//! Signed self-updates over real HTTPS: the shell's `updates` module (tauri-plugin-updater)
//! against a local server with a certificate from a test CA this test makes, manifests and
//! artifacts signed with keys this test makes (the Tauri CLI's `signer`, as releases are).
//!
//! - a newer version is offered with its notes, and its artifact is fetched and verified;
//! - a signature by another key, a changed artifact, and a signature bound to another version
//!   are each refused with the same clear message, before any byte is handed to an installer;
//! - the same or an older version is no update; plain `http://` is refused, for the manifest
//!   and for the artifact it names.
//!
//! Trust: the test CA is trusted through `SSL_CERT_FILE`, the standard variable the system's
//! certificate loading reads (rustls-native-certs, as OpenSSL), set here before any request.
//! The app has no switch of its own for extra CAs, and no way to accept plain HTTP or invalid
//! certificates. What is not covered here: the installer step itself and the restart (the
//! release test installs the `.deb`; see DEVELOPMENT.md).
//!
//! Needs `openssl`, `python3` and the Tauri CLI (`scripts/install-deps.sh npm`).

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use ottu_pos_lib::updates;
use serde_json::json;

const CURRENT: &str = "1.0.0";
const NEXT: &str = "1.1.0";

fn run(program: impl AsRef<std::ffi::OsStr>, args: &[&str], dir: &Path) -> String {
    let program = program.as_ref();
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program:?}: {e}"));
    assert!(
        out.status.success(),
        "{program:?} {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A CA, and a certificate it signed for 127.0.0.1 and localhost.
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| run("openssl", args, dir);
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=Ottu POS test CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "san.ext",
    ]);
}

fn tauri_cli() -> PathBuf {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/.bin/tauri");
    assert!(
        cli.exists(),
        "{} is missing. Fix: scripts/install-deps.sh npm",
        cli.display()
    );
    cli
}

/// A minisign key pair from the Tauri CLI: (private key file, public key as the config holds it).
fn make_key(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    run(
        tauri_cli(),
        &[
            "signer",
            "generate",
            "--ci",
            "-p",
            "",
            "-w",
            key.to_str().unwrap(),
        ],
        dir,
    );
    let public = std::fs::read_to_string(key.with_extension("key.pub")).unwrap();
    (key, public.trim().to_owned())
}

/// The `.sig` text for `file` bound to `version`, as `tauri signer sign` writes it.
fn sign(dir: &Path, key: &Path, file: &str, version: &str) -> String {
    run(
        tauri_cli(),
        &[
            "signer",
            "sign",
            "-f",
            key.to_str().unwrap(),
            "-p",
            "",
            "--app-version",
            version,
            file,
        ],
        dir,
    );
    std::fs::read_to_string(dir.join(format!("{file}.sig"))).unwrap()
}

/// A local HTTPS file server (Python's, with the CA-signed certificate), stopped on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path, certs: &Path) -> Server {
    let script = r#"
import functools, http.server, ssl, sys
root, cert, key = sys.argv[1:4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .arg(root)
        .arg(certs.join("server.pem"))
        .arg(certs.join("server.key"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("the server's port");
    Server { child, port }
}

fn manifest(version: &str, url: &str, signature: &str) -> String {
    let platform = json!({ "url": url, "signature": signature });
    json!({
        "version": version,
        "notes": format!("Ottu POS {version}: faster receipts"),
        "pub_date": "2026-12-03T12:00:00Z",
        "platforms": {
            "linux-x86_64": platform, "linux-aarch64": platform,
            "darwin-x86_64": platform, "darwin-aarch64": platform,
            "windows-x86_64": platform,
        }
    })
    .to_string()
}

fn app_with_key(public_key: &str) -> tauri::App<tauri::test::MockRuntime> {
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({ "pubkey": public_key, "endpoints": [], "requireSignedVersion": true }),
    );
    context.package_info_mut().version = CURRENT.parse().unwrap();
    tauri::test::mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .expect("the mock app builds")
}

#[test]
fn updates_are_offered_verified_and_a_bad_signature_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let certs = work.path().join("certs");
    let site = work.path().join("site");
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::create_dir_all(&site).unwrap();
    make_certificates(&certs);
    // Before the first request (the verifier reads the trusted certificates once) and before
    // any other thread runs: this test is alone in its file.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("SSL_CERT_FILE", certs.join("ca.pem"));
    }

    let (release_key, release_public) = make_key(work.path(), "release.key");
    let (other_key, _) = make_key(work.path(), "other.key");
    let artifact = "ottu-pos_1.1.0_amd64.deb";
    let bytes: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(site.join(artifact), &bytes).unwrap();
    let good = sign(&site, &release_key, artifact, NEXT);
    let foreign = sign(&site, &other_key, artifact, NEXT);
    let for_older = sign(&site, &release_key, artifact, "1.0.5");
    std::fs::write(site.join("changed.deb"), [&bytes[..], b"!"].concat()).unwrap();

    let server = serve(&site, &certs);
    let base = format!("https://127.0.0.1:{}", server.port);
    let url = |path: &str| format!("{base}/{path}");
    let publish = |name: &str, version: &str, file: &str, signature: &str| {
        std::fs::write(site.join(name), manifest(version, &url(file), signature)).unwrap();
        url(name)
    };
    let good_manifest = publish("latest.json", NEXT, artifact, &good);
    let foreign_manifest = publish("foreign.json", NEXT, artifact, &foreign);
    let changed_manifest = publish("changed.json", NEXT, "changed.deb", &good);
    let relabelled_manifest = publish("relabelled.json", NEXT, artifact, &for_older);
    let same_manifest = publish("same.json", CURRENT, artifact, &good);
    let http_artifact = url("http-artifact.json");
    std::fs::write(
        site.join("http-artifact.json"),
        manifest(NEXT, &url(artifact).replace("https://", "http://"), &good),
    )
    .unwrap();

    let app = app_with_key(&release_public);
    let handle = app.handle().clone();
    tauri::async_runtime::block_on(async move {
        // A newer version: offered with its notes, fetched, verified.
        let update = updates::check(&handle, &good_manifest)
            .await
            .expect("the manifest is read over HTTPS")
            .expect("1.1.0 is newer than 1.0.0");
        let offer = updates::offer(&update);
        assert_eq!(offer.version, NEXT);
        assert_eq!(offer.current_version, CURRENT);
        assert_eq!(offer.notes, "Ottu POS 1.1.0: faster receipts");
        assert_eq!(offer.date.as_deref(), Some("2026-12-03T12:00:00Z"));
        let downloaded = updates::download(&update).await.expect("a good signature");
        assert_eq!(downloaded, bytes);

        // Signed by another key, a changed artifact, a signature for another version: each is
        // refused, in the owner's words, before anything reaches the installer.
        for (what, manifest) in [
            ("another key", &foreign_manifest),
            ("a changed artifact", &changed_manifest),
            (
                "a signature for 1.0.5 offered as 1.1.0",
                &relabelled_manifest,
            ),
        ] {
            let update = updates::check(&handle, manifest)
                .await
                .unwrap_or_else(|e| panic!("{what}: the manifest itself is fine: {e:?}"))
                .expect("offered");
            let refused = updates::download(&update).await.expect_err(what);
            assert!(
                refused.message.contains("signature does not match")
                    && refused.message.contains("nothing was changed"),
                "{what}: {}",
                refused.message
            );
        }

        // The running version is no update.
        assert!(
            updates::check(&handle, &same_manifest)
                .await
                .unwrap()
                .is_none()
        );

        // Plain HTTP is refused before any request.
        let Err(http) =
            updates::check(&handle, &good_manifest.replace("https://", "http://")).await
        else {
            panic!("plain http was accepted");
        };
        assert!(http.message.contains("https://"), "{}", http.message);
        // So is a manifest that points at its artifact over plain HTTP.
        let Err(http) = updates::check(&handle, &http_artifact).await else {
            panic!("an http artifact was accepted");
        };
        assert!(http.message.contains("https://"), "{}", http.message);
    });
    drop(server);
}
