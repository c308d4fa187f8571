//! Test certificates made with the `openssl` command at test time: a CA,
//! server certificates for 127.0.0.1/localhost (valid, expired, for the
//! wrong name), a client certificate with its key plain, PKCS#8-encrypted
//! and in a PKCS#12 archive, and a second, unrelated CA.

use super::process::run_with_timeout;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The password of `client.enc.key` and `client.p12`.
pub const KEY_PASSWORD: &str = "s3cret-test-pass";

const OPENSSL_TIMEOUT: Duration = Duration::from_secs(60);

pub struct TestPki {
    pub dir: PathBuf,
    pub ca: PathBuf,
    /// A CA that signed nothing here: "wrong CA".
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    /// Valid only for `wrong.example.com`.
    pub wrong_name_cert: PathBuf,
    pub wrong_name_key: PathBuf,
    /// Expired in 2020.
    pub expired_cert: PathBuf,
    pub expired_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    /// `client_key` as PKCS#8 encrypted with [`KEY_PASSWORD`].
    pub client_key_encrypted: PathBuf,
    /// `client_cert` and its key as PKCS#12 with [`KEY_PASSWORD`].
    pub client_p12: PathBuf,
    /// CRLs of the test CA: one revoking `server_cert`, one revoking nothing.
    pub crl_revoking_server: PathBuf,
    pub crl_empty: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let done = run_with_timeout(
        Command::new("openssl").current_dir(dir).args(args),
        None,
        OPENSSL_TIMEOUT,
    );
    assert!(
        done.success(),
        "openssl {args:?} failed:\n{}",
        done.describe()
    );
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("non-UTF-8 scratch path")
}

impl TestPki {
    /// Makes every certificate and key in a fresh scratch directory.
    pub fn make() -> TestPki {
        let dir = super::paths::scratch_dir("tls-pki");
        let pki = TestPki {
            ca: dir.join("ca.pem"),
            other_ca: dir.join("other-ca.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server.key"),
            wrong_name_cert: dir.join("wrong-name.pem"),
            wrong_name_key: dir.join("wrong-name.key"),
            expired_cert: dir.join("expired.pem"),
            expired_key: dir.join("expired.key"),
            client_cert: dir.join("client.pem"),
            client_key: dir.join("client.key"),
            client_key_encrypted: dir.join("client.enc.key"),
            client_p12: dir.join("client.p12"),
            crl_revoking_server: dir.join("revoking.crl.pem"),
            crl_empty: dir.join("empty.crl.pem"),
            dir,
        };
        pki.make_ca("ca", "ferrokafka test CA");
        pki.make_ca("other-ca", "unrelated test CA");
        let server_ext = "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n";
        pki.make_leaf("server", "localhost", server_ext, None);
        let wrong_ext = "subjectAltName=DNS:wrong.example.com\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n";
        pki.make_leaf("wrong-name", "wrong.example.com", wrong_ext, None);
        pki.make_leaf(
            "expired",
            "localhost",
            server_ext,
            Some(("20200101000000Z", "20200201000000Z")),
        );
        let client_ext = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
        pki.make_leaf("client", "ferrokafka-client", client_ext, None);
        let pass = format!("pass:{KEY_PASSWORD}");
        openssl(
            &pki.dir,
            &[
                "pkcs8",
                "-topk8",
                "-in",
                "client.key",
                "-out",
                "client.enc.key",
                "-passout",
                &pass,
            ],
        );
        openssl(
            &pki.dir,
            &[
                "pkcs12",
                "-export",
                "-in",
                "client.pem",
                "-inkey",
                "client.key",
                "-out",
                "client.p12",
                "-passout",
                &pass,
            ],
        );
        pki.make_crl("revoking", Some("server.pem"));
        pki.make_crl("empty", None);
        pki
    }

    /// A CA configuration for `openssl ca` with its own database.
    fn ca_config(&self, name: &str) -> PathBuf {
        let db = self.dir.join(format!("{name}-index.txt"));
        std::fs::write(&db, "").unwrap();
        let serial_file = self.dir.join(format!("{name}.srl"));
        std::fs::write(&serial_file, format!("{}\n", serial_for(name))).unwrap();
        // A CRL number makes the CRL version 2, which WebPKI requires.
        let crl_number = self.dir.join(format!("{name}.crlnum"));
        std::fs::write(&crl_number, "1000\n").unwrap();
        let config = format!(
            "[ca]\ndefault_ca=test\n[test]\ndatabase={db}\nnew_certs_dir={dir}\ncertificate={dir}/ca.pem\nprivate_key={dir}/ca.key\nserial={serial}\ncrlnumber={crl}\ndefault_crl_days=30\ndefault_md=sha256\npolicy=any\nunique_subject=no\n[any]\ncommonName=supplied\n",
            db = path_str(&db),
            dir = path_str(&self.dir),
            serial = path_str(&serial_file),
            crl = path_str(&crl_number),
        );
        let config_file = self.dir.join(format!("{name}-ca.cnf"));
        std::fs::write(&config_file, config).unwrap();
        config_file
    }

    fn make_crl(&self, name: &str, revoke: Option<&str>) {
        let config = self.ca_config(&format!("{name}-crl"));
        if let Some(cert) = revoke {
            openssl(
                &self.dir,
                &["ca", "-config", path_str(&config), "-revoke", cert],
            );
        }
        openssl(
            &self.dir,
            &[
                "ca",
                "-config",
                path_str(&config),
                "-gencrl",
                "-out",
                &format!("{name}.crl.pem"),
            ],
        );
    }

    fn make_ca(&self, name: &str, cn: &str) {
        openssl(
            &self.dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-days",
                "3650",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.pem"),
                "-subj",
                &format!("/CN={cn}"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
    }

    /// A key and a certificate signed by `ca`; `dates` (start, end) makes
    /// one outside the usual validity, through `openssl ca`.
    fn make_leaf(&self, name: &str, cn: &str, ext: &str, dates: Option<(&str, &str)>) {
        let ext_file = self.dir.join(format!("{name}.ext"));
        std::fs::write(&ext_file, ext).unwrap();
        openssl(
            &self.dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                &format!("/CN={cn}"),
            ],
        );
        match dates {
            None => openssl(
                &self.dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &format!("{name}.csr"),
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-set_serial",
                    &format!("0x{}", serial_for(name)),
                    "-days",
                    "825",
                    "-sha256",
                    "-extfile",
                    path_str(&ext_file),
                    "-out",
                    &format!("{name}.pem"),
                ],
            ),
            Some((start, end)) => {
                let config_file = self.ca_config(name);
                openssl(
                    &self.dir,
                    &[
                        "ca",
                        "-batch",
                        "-notext",
                        "-config",
                        path_str(&config_file),
                        "-in",
                        &format!("{name}.csr"),
                        "-out",
                        &format!("{name}.pem"),
                        "-startdate",
                        start,
                        "-enddate",
                        end,
                        "-extfile",
                        path_str(&ext_file),
                    ],
                );
            }
        }
    }
}

/// Distinct serial numbers per certificate name.
fn serial_for(name: &str) -> String {
    let sum: u32 = name.bytes().map(u32::from).sum();
    format!("{:X}", 0x1000 + sum)
}
