//! ApiVersions (key 18), versions 0-3.

use super::prelude::*;

/// Error code UNSUPPORTED_VERSION: the broker answers with a v0-shaped body
/// whatever version was asked for, so the client can retry at a lower one.
const UNSUPPORTED_VERSION: i16 = 35;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiVersionsRequest {
    /// v3+.
    pub client_software_name: String,
    /// v3+.
    pub client_software_version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiVersionRange {
    pub api_key: i16,
    pub min_version: i16,
    pub max_version: i16,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiVersionsResponse {
    pub error_code: i16,
    pub api_keys: Vec<ApiVersionRange>,
    /// v1+.
    pub throttle_time_ms: i32,
}

request!(ApiVersionsRequest => ApiVersionsResponse, ApiVersions, 0..=3);

impl Message for ApiVersionsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        if version >= 3 {
            out.put_string_v(flex, &self.client_software_name)?;
            out.put_string_v(flex, &self.client_software_version)?;
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = Self::default();
        if version >= 3 {
            req.client_software_name = r.string_v(flex)?;
            req.client_software_version = r.string_v(flex)?;
        }
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl ApiVersionsResponse {
    /// The version range the broker supports for `key`, if any.
    pub fn range_for(&self, key: i16) -> Option<(i16, i16)> {
        self.api_keys
            .iter()
            .find(|k| k.api_key == key)
            .map(|k| (k.min_version, k.max_version))
    }
}

impl Message for ApiVersionsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        encode_flex::<ApiVersionsRequest>(version)?;
        let version = if self.error_code == UNSUPPORTED_VERSION {
            0
        } else {
            version
        };
        let flex = is_flex(version);
        out.put_i16(self.error_code);
        put_array(out, flex, &self.api_keys, |out, k| {
            out.put_i16(k.api_key);
            out.put_i16(k.min_version);
            out.put_i16(k.max_version);
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        decode_flex::<ApiVersionsRequest>(version)?;
        let error_code = r.read_i16()?;
        let version = if error_code == UNSUPPORTED_VERSION {
            0
        } else {
            version
        };
        let flex = is_flex(version);
        let api_keys = r.array_v(flex, |r| {
            let k = ApiVersionRange {
                api_key: r.read_i16()?,
                min_version: r.read_i16()?,
                max_version: r.read_i16()?,
            };
            r.tags_v(flex)?;
            Ok(k)
        })?;
        let throttle_time_ms = if version >= 1 { r.read_i32()? } else { 0 };
        // v3 tagged fields (supported/finalized features) are not used.
        r.tags_v(flex)?;
        Ok(Self {
            error_code,
            api_keys,
            throttle_time_ms,
        })
    }
}

fn is_flex(version: i16) -> bool {
    crate::protocol::is_flexible::<ApiVersionsRequest>(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    fn sample_response(v: i16) -> ApiVersionsResponse {
        ApiVersionsResponse {
            error_code: 0,
            api_keys: vec![
                ApiVersionRange {
                    api_key: 0,
                    min_version: 3,
                    max_version: 9,
                },
                ApiVersionRange {
                    api_key: 18,
                    min_version: 0,
                    max_version: 3,
                },
            ],
            throttle_time_ms: since(v, 1, 7, 0),
        }
    }

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = ApiVersionsRequest {
                client_software_name: since(v, 3, "ferrokafka".into(), String::new()),
                client_software_version: since(v, 3, "0.1.0".into(), String::new()),
            };
            roundtrip(&req, v);
            roundtrip(&sample_response(v), v);
            roundtrip(&ApiVersionsResponse::default(), v);
        }
    }

    #[test]
    fn response_v0_fixture() {
        let bytes = roundtrip(&sample_response(0), 0);
        #[rustfmt::skip]
        let expected = [
            0, 0,             // error_code
            0, 0, 0, 2,       // 2 api keys
            0, 0, 0, 3, 0, 9, // Produce 3..9
            0, 18, 0, 0, 0, 3 // ApiVersions 0..3
        ];
        assert_eq!(&bytes[..], &expected);
    }

    #[test]
    fn response_v3_fixture() {
        let bytes = roundtrip(&sample_response(3), 3);
        #[rustfmt::skip]
        let expected = [
            0, 0,                // error_code
            3,                   // compact array: 2 entries
            0, 0, 0, 3, 0, 9, 0, // Produce 3..9, no tags
            0, 18, 0, 0, 0, 3, 0,
            0, 0, 0, 7,          // throttle_time_ms
            0,                   // no tags
        ];
        assert_eq!(&bytes[..], &expected);
    }

    #[test]
    fn v3_response_with_feature_tags_decodes() {
        // A real v3 response carries tagged fields (e.g. tag 3 ZkMigrationReady).
        let data = [0, 0, 2, 0, 18, 0, 0, 0, 3, 0, 0, 0, 0, 0, 1, 3, 1, 0];
        let resp = ApiVersionsResponse::decode(3, &mut Reader::new(&data)).unwrap();
        assert_eq!(resp.range_for(18), Some((0, 3)));
        assert_eq!(resp.range_for(0), None);
    }

    #[test]
    fn unsupported_version_error_decodes_as_v0() {
        // What a broker answers to a v3 request it does not support.
        let data = [0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 2];
        let mut r = Reader::new(&data);
        let resp = ApiVersionsResponse::decode(3, &mut r).unwrap();
        assert_eq!(resp.error_code, 35);
        assert_eq!(resp.range_for(18), Some((0, 2)));
        assert_eq!(r.remaining(), 0);
        let mut out = BytesMut::new();
        resp.encode(3, &mut out).unwrap();
        assert_eq!(&out[..], &data);
    }

    #[test]
    fn request_v3_fixture() {
        let req = ApiVersionsRequest {
            client_software_name: "fk".into(),
            client_software_version: "1".into(),
        };
        let bytes = roundtrip(&req, 3);
        assert_eq!(&bytes[..], &[3, b'f', b'k', 2, b'1', 0]);
        assert_eq!(&roundtrip(&ApiVersionsRequest::default(), 0)[..], b"");
    }

    #[test]
    fn versions_outside_range_are_refused() {
        let mut out = BytesMut::new();
        assert_eq!(
            ApiVersionsRequest::default().encode(4, &mut out),
            Err(EncodeError::UnsupportedVersion {
                api_key: 18,
                version: 4
            })
        );
        assert!(ApiVersionsResponse::decode(-1, &mut Reader::new(&[0; 16])).is_err());
    }
}
