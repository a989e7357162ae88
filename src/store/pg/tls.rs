//! Encrypted connections (`sslmode` in the address, else `PGSSLMODE`), as the PostgreSQL tools
//! make them:
//!
//! - `disable`: never encrypted;
//! - `prefer` (the default): encrypted when the server offers it, else plain;
//! - `require`: encrypted or not at all;
//! - `verify-ca`: encrypted, and the server's certificate must be signed by the authority in
//!   `sslrootcert` (a PEM file; default `~/.postgresql/root.crt`; `system`: the machine's
//!   certificate bundle);
//! - `verify-full`: as `verify-ca`, and the certificate must name the host connected to.
//!
//! As with the PostgreSQL tools, `prefer` and `require` do not check who the server is unless
//! `sslrootcert` is given (then they check as `verify-ca`). The encryption is rustls (pure
//! Rust): nothing is needed on the machine. A Unix socket is never encrypted (the server does
//! not offer it there).

use crate::error::{Error, Result};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How much an address asks of the connection's encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            // libpq's `allow` tries plain first; encrypted-when-offered is as good here.
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// What the postgres client is told: whether to ask the server for encryption, and
    /// whether to give up without it.
    pub(crate) fn wire(self) -> postgres::config::SslMode {
        match self {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        }
    }
}

/// The encryption settings of an address: its mode and, for checking the server, the file of
/// the authority that signs its certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tls {
    pub mode: SslMode,
    pub root_cert: Option<RootCert>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    File(PathBuf),
    /// `sslrootcert=system`: the machine's bundle of public authorities.
    System,
}

impl RootCert {
    pub fn parse(text: &str) -> RootCert {
        if text == "system" {
            RootCert::System
        } else {
            RootCert::File(PathBuf::from(text))
        }
    }
}

/// The certificate bundles of the common Linux distributions and macOS.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Encrypted, but anyone may answer (`prefer`, `require`).
    None,
    /// Signed by the authority; any host name.
    Authority,
    /// Signed by the authority, for the host connected to.
    AuthorityAndHost,
}

impl Tls {
    fn check(&self) -> Check {
        match self.mode {
            SslMode::VerifyFull => Check::AuthorityAndHost,
            SslMode::VerifyCa => Check::Authority,
            SslMode::Require | SslMode::Prefer if self.root_cert.is_some() => Check::Authority,
            _ => Check::None,
        }
    }

    /// The connector the postgres client encrypts with (`shown` names the database in
    /// messages).
    pub(crate) fn connector(
        &self,
        shown: &str,
    ) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let algorithms = provider.signature_verification_algorithms;
        let verifier: Arc<dyn ServerCertVerifier> = match self.check() {
            Check::None => Arc::new(Anyone(algorithms)),
            check => {
                let roots = Arc::new(self.roots(shown)?);
                let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                    .build()
                    .map_err(|e| tls_setup_error(shown, &e.to_string()))?;
                Arc::new(Authority {
                    webpki,
                    host_too: check == Check::AuthorityAndHost,
                })
            }
        };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_setup_error(shown, &e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }

    /// The authorities the server's certificate may be signed by.
    fn roots(&self, shown: &str) -> Result<RootCertStore> {
        let file = match &self.root_cert {
            Some(RootCert::File(path)) => path.clone(),
            Some(RootCert::System) => SYSTEM_BUNDLES
                .iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
                .ok_or_else(|| {
                    Error::plain(
                        format!(
                            "{shown}：sslrootcert=system，但本机找不到系统证书包（{}）；未连接",
                            SYSTEM_BUNDLES.join("、")
                        ),
                        format!(
                            "{shown}: sslrootcert=system, but this machine has no certificate bundle ({}); not connected",
                            SYSTEM_BUNDLES.join(", ")
                        ),
                    )
                })?,
            None => default_root_cert().ok_or_else(|| no_root_cert(shown, None))?,
        };
        if !file.exists() {
            return Err(no_root_cert(shown, Some(&file)));
        }
        let mut roots = RootCertStore::empty();
        let mut bad = None;
        match CertificateDer::pem_file_iter(&file) {
            Ok(certs) => {
                for cert in certs {
                    match cert {
                        Ok(cert) => {
                            if let Err(e) = roots.add(cert) {
                                bad = Some(e.to_string());
                            }
                        }
                        Err(e) => bad = Some(e.to_string()),
                    }
                }
            }
            Err(e) => bad = Some(e.to_string()),
        }
        if roots.is_empty() {
            let why = bad.unwrap_or_else(|| "no certificate".to_string());
            return Err(Error::plain(
                format!(
                    "{shown}：无法从 {} 读出根证书（{why}）；未连接。sslrootcert 应是 PEM 格式的证书文件",
                    file.display()
                ),
                format!(
                    "{shown}: cannot read a root certificate from {} ({why}); not connected. sslrootcert must be a PEM certificate file",
                    file.display()
                ),
            ));
        }
        Ok(roots)
    }
}

/// `~/.postgresql/root.crt`, where the PostgreSQL tools look when `sslrootcert` is not given.
fn default_root_cert() -> Option<PathBuf> {
    std::env::var_os("PGSSLROOTCERT")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".postgresql").join("root.crt")))
}

fn no_root_cert(shown: &str, file: Option<&Path>) -> Error {
    let file = file.map_or_else(
        || "~/.postgresql/root.crt".to_string(),
        |f| f.display().to_string(),
    );
    Error::plain(
        format!(
            "{shown} 要求核验服务器证书（sslmode=verify-ca 或 verify-full），但找不到根证书 {file}；未连接。请用 sslrootcert=文件 指明签发服务器证书的根证书（PEM 格式），或 sslrootcert=system 用本机的系统证书"
        ),
        format!(
            "{shown} asks to check the server's certificate (sslmode=verify-ca or verify-full), but the root certificate {file} is missing; not connected. Name the authority's certificate with sslrootcert=FILE (PEM), or sslrootcert=system for the machine's bundle"
        ),
    )
}

fn tls_setup_error(shown: &str, why: &str) -> Error {
    Error::plain(
        format!("{shown}：无法准备加密连接（{why}）；未连接"),
        format!("{shown}: cannot set up the encrypted connection ({why}); not connected"),
    )
}

/// `prefer`, `require` without a root certificate: encrypted against eavesdropping, with the
/// handshake's signature checked, but the certificate is not asked who signed it.
#[derive(Debug)]
struct Anyone(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for Anyone {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// `verify-ca` and `verify-full`: the certificate must chain to the root certificate; with
/// `host_too` it must also name the host.
#[derive(Debug)]
struct Authority {
    webpki: Arc<WebPkiServerVerifier>,
    host_too: bool,
}

impl ServerCertVerifier for Authority {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            // The chain was checked before the name: a wrong name alone passes verify-ca.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.host_too => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}
