//! An S3-compatible object store spoken to directly: path-style PUT, GET and DELETE signed with
//! AWS Signature Version 4 (the `object_store` crate would bring a slow C build to CI).

use std::io;

use sha2::{Digest, Sha256};

use super::FileKind;
use crate::config::{S3Settings, Secret};

/// An S3-compatible bucket addressed path-style (`{endpoint}/{bucket}/{key}`), which every
/// S3-compatible server understands, unlike bucket names in the host.
#[derive(Clone, Debug)]
pub struct S3Store {
    endpoint: reqwest::Url,
    bucket: String,
    region: String,
    access_key: String,
    secret_key: Secret,
    client: reqwest::Client,
}

impl S3Store {
    pub fn new(settings: &S3Settings, client: reqwest::Client) -> anyhow::Result<S3Store> {
        let endpoint = reqwest::Url::parse(&settings.endpoint)
            .map_err(|e| anyhow::anyhow!("invalid storage_s3_endpoint: {e}"))?;
        Ok(S3Store {
            endpoint,
            bucket: settings.bucket.clone(),
            region: settings.region.clone(),
            access_key: settings.access_key.clone(),
            secret_key: settings.secret_key.clone(),
            client,
        })
    }

    pub(super) async fn put(&self, key: &str, kind: FileKind, bytes: &[u8]) -> io::Result<()> {
        let response = self
            .send(
                reqwest::Method::PUT,
                key,
                Some((bytes, kind.content_type())),
            )
            .await?;
        expect_success(&response, "PUT")
    }

    pub(super) async fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        let response = self.send(reqwest::Method::GET, key, None).await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        expect_success(&response, "GET")?;
        let bytes = response.bytes().await.map_err(|e| self.failed(e))?;
        Ok(Some(bytes.to_vec()))
    }

    pub(super) async fn delete(&self, key: &str) -> io::Result<()> {
        let response = self.send(reqwest::Method::DELETE, key, None).await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(());
        }
        expect_success(&response, "DELETE")
    }

    /// Sends one signed request for `key` (already checked by `parse_key`, so it needs no
    /// escaping) with an optional body and its content type.
    async fn send(
        &self,
        method: reqwest::Method,
        key: &str,
        body: Option<(&[u8], &str)>,
    ) -> io::Result<reqwest::Response> {
        let mut url = self.endpoint.clone();
        let base = self.endpoint.path().trim_end_matches('/');
        url.set_path(&format!("{base}/{}/{key}", self.bucket));
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return Err(io::Error::other("the object store URL has no host")),
        };
        let payload = body.map_or(&[][..], |(bytes, _)| bytes);
        let payload_hash = hex::encode(Sha256::digest(payload));
        // The wall clock, not the application's: the store checks it against its own.
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut headers = vec![
            ("host", host.as_str()),
            ("x-amz-content-sha256", payload_hash.as_str()),
            ("x-amz-date", amz_date.as_str()),
        ];
        if let Some((_, content_type)) = body {
            headers.push(("content-type", content_type));
        }
        let authorization = sigv4::authorization(
            &sigv4::Credentials {
                access_key: &self.access_key,
                secret_key: self.secret_key.expose(),
                region: &self.region,
            },
            &amz_date,
            method.as_str(),
            url.path(),
            &headers,
            &payload_hash,
        );
        let mut request = self
            .client
            .request(method, url)
            .header("authorization", authorization);
        // reqwest writes the Host header itself, from the same URL.
        for (name, value) in headers.iter().filter(|(name, _)| *name != "host") {
            request = request.header(*name, *value);
        }
        if let Some((bytes, _)) = body {
            request = request.body(bytes.to_vec());
        }
        request.send().await.map_err(|e| self.failed(e))
    }

    fn failed(&self, e: reqwest::Error) -> io::Error {
        let text = crate::outside::describe_error(e, Some(self.secret_key.expose()));
        io::Error::other(format!("object store: {text}"))
    }
}

/// Any answer but 2xx is an error, named by its status and method: enough to tell a missing
/// bucket (404 to PUT) from a refused signature (403) without logging the store's reply.
fn expect_success(response: &reqwest::Response, method: &str) -> io::Result<()> {
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "object store answered {status} to {method}"
        )))
    }
}

/// AWS Signature Version 4, the part S3 needs: header-signed requests without a query string.
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html>
pub mod sigv4 {
    use sha2::{Digest, Sha256};

    pub struct Credentials<'a> {
        pub access_key: &'a str,
        pub secret_key: &'a str,
        pub region: &'a str,
    }

    /// HMAC-SHA256 (RFC 2104) over sha2, the only MAC SigV4 needs.
    pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
        const BLOCK: usize = 64;
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let inner = Sha256::new()
            .chain_update(block.map(|b| b ^ 0x36))
            .chain_update(message)
            .finalize();
        Sha256::new()
            .chain_update(block.map(|b| b ^ 0x5c))
            .chain_update(inner)
            .finalize()
            .into()
    }

    /// The `Authorization` header for a request. `path` is the URI-encoded path, `headers`
    /// every header to sign (at least `host`, `x-amz-content-sha256` and `x-amz-date`), and
    /// `amz_date` the `x-amz-date` value (`YYYYMMDDTHHMMSSZ`).
    pub fn authorization(
        credentials: &Credentials<'_>,
        amz_date: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        payload_hash: &str,
    ) -> String {
        let mut headers: Vec<(String, &str)> = headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
            .collect();
        headers.sort();
        let signed = headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let listed: String = headers
            .iter()
            .map(|(name, value)| format!("{name}:{value}\n"))
            .collect();
        // The empty line is the (empty) canonical query string.
        let canonical = format!("{method}\n{path}\n\n{listed}\n{signed}\n{payload_hash}");
        let date = &amz_date[..8.min(amz_date.len())];
        let scope = format!("{date}/{}/s3/aws4_request", credentials.region);
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let key = format!("AWS4{}", credentials.secret_key);
        let key = hmac_sha256(key.as_bytes(), date.as_bytes());
        let key = hmac_sha256(&key, credentials.region.as_bytes());
        let key = hmac_sha256(&key, b"s3");
        let key = hmac_sha256(&key, b"aws4_request");
        let signature = hex::encode(hmac_sha256(&key, to_sign.as_bytes()));
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope},SignedHeaders={signed},Signature={signature}",
            credentials.access_key
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        let hmac = |key: &[u8], data: &[u8]| hex::encode(sigv4::hmac_sha256(key, data));
        // Test cases 1, 2, 3, 6 and 7: short, text, binary and longer-than-a-block keys.
        assert_eq!(
            hmac(&[0x0b; 20], b"Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hmac(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hmac(&[0xaa; 20], &[0xdd; 50]),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        );
        assert_eq!(
            hmac(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        assert_eq!(
            hmac(
                &[0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than \
                  block-size data. The key needs to be hashed before being used by the HMAC \
                  algorithm."
            ),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        );
    }

    /// The "GET Object" example of AWS's SigV4 documentation ("Examples: Signature Calculations
    /// in AWS Signature Version 4"), which signs a virtual-hosted request; path-style ones differ
    /// only in the host and path handed in.
    #[test]
    fn signature_matches_the_aws_example() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let authorization = sigv4::authorization(
            &sigv4::Credentials {
                access_key: "AKIAIOSFODNN7EXAMPLE",
                secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                region: "us-east-1",
            },
            "20130524T000000Z",
            "GET",
            "/test.txt",
            &[
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", empty),
                ("x-amz-date", "20130524T000000Z"),
            ],
            empty,
        );
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }
}
