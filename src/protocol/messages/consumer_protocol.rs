//! The "consumer" embedded protocol: the opaque metadata members send in
//! JoinGroup and the assignments the leader distributes in SyncGroup.
//!
//! These blobs are versioned on their own and never use flexible encodings.
//! Newer versions only append fields, so a reader decodes the fields it knows
//! and ignores the rest (as Kafka's own readers do).

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TopicPartitions {
    pub topic: String,
    pub partitions: Vec<i32>,
}

/// ConsumerProtocolSubscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberMetadata {
    /// 0..=3 are encoded with all their fields.
    pub version: i16,
    pub topics: Vec<String>,
    pub user_data: Option<Bytes>,
    /// v1+.
    pub owned_partitions: Vec<TopicPartitions>,
    /// v2+, -1 when absent.
    pub generation_id: i32,
    /// v3+.
    pub rack_id: Option<String>,
}

impl Default for MemberMetadata {
    fn default() -> Self {
        MemberMetadata {
            version: 0,
            topics: Vec::new(),
            user_data: None,
            owned_partitions: Vec::new(),
            generation_id: -1,
            rack_id: None,
        }
    }
}

/// ConsumerProtocolAssignment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberAssignment {
    pub version: i16,
    pub assigned_partitions: Vec<TopicPartitions>,
    pub user_data: Option<Bytes>,
}

/// Also the layout of the sticky assignors' user data (`client::assignor`).
pub fn put_topic_partitions(
    out: &mut BytesMut,
    tps: &[TopicPartitions],
) -> Result<(), EncodeError> {
    put_array(out, false, tps, |out, tp| {
        out.put_string(&tp.topic)?;
        put_i32_array(out, false, &tp.partitions)
    })
}

pub fn read_topic_partitions(r: &mut Reader<'_>) -> Result<Vec<TopicPartitions>, DecodeError> {
    r.array_v(false, |r| {
        Ok(TopicPartitions {
            topic: r.read_string()?,
            partitions: r.i32_array_v(false)?,
        })
    })
}

fn read_version(r: &mut Reader<'_>) -> Result<i16, DecodeError> {
    let version = r.read_i16()?;
    if version < 0 {
        return Err(DecodeError::Corrupt("negative consumer protocol version"));
    }
    Ok(version)
}

impl MemberMetadata {
    pub fn encode(&self, out: &mut BytesMut) -> Result<(), EncodeError> {
        let v = self.version;
        if v < 0 {
            return Err(EncodeError::UnsupportedVersion {
                api_key: -1,
                version: v,
            });
        }
        out.put_i16(v);
        put_string_array(out, false, &self.topics)?;
        out.put_nullable_kafka_bytes(self.user_data.as_deref())?;
        if v >= 1 {
            put_topic_partitions(out, &self.owned_partitions)?;
        }
        if v >= 2 {
            out.put_i32(self.generation_id);
        }
        if v >= 3 {
            out.put_nullable_string(self.rack_id.as_deref())?;
        }
        Ok(())
    }

    pub fn to_bytes(&self) -> Result<Bytes, EncodeError> {
        let mut out = BytesMut::new();
        self.encode(&mut out)?;
        Ok(out.freeze())
    }

    pub fn decode(data: &Bytes) -> Result<Self, DecodeError> {
        let mut r = Reader::from_bytes(data);
        let version = read_version(&mut r)?;
        let mut m = MemberMetadata {
            version,
            topics: r.string_array_v(false)?,
            user_data: r.read_nullable_bytes()?,
            ..Default::default()
        };
        if version >= 1 {
            m.owned_partitions = read_topic_partitions(&mut r)?;
        }
        if version >= 2 {
            m.generation_id = r.read_i32()?;
        }
        if version >= 3 {
            m.rack_id = r.read_nullable_string()?;
        }
        Ok(m)
    }
}

impl MemberAssignment {
    pub fn encode(&self, out: &mut BytesMut) -> Result<(), EncodeError> {
        if self.version < 0 {
            return Err(EncodeError::UnsupportedVersion {
                api_key: -1,
                version: self.version,
            });
        }
        out.put_i16(self.version);
        put_topic_partitions(out, &self.assigned_partitions)?;
        out.put_nullable_kafka_bytes(self.user_data.as_deref())
    }

    pub fn to_bytes(&self) -> Result<Bytes, EncodeError> {
        let mut out = BytesMut::new();
        self.encode(&mut out)?;
        Ok(out.freeze())
    }

    /// An empty blob means "no assignment" (e.g. after a failed sync).
    pub fn decode(data: &Bytes) -> Result<Self, DecodeError> {
        if data.is_empty() {
            return Ok(MemberAssignment::default());
        }
        let mut r = Reader::from_bytes(data);
        Ok(MemberAssignment {
            version: read_version(&mut r)?,
            assigned_partitions: read_topic_partitions(&mut r)?,
            // Some clients omit the trailing user data entirely.
            user_data: if r.is_empty() {
                None
            } else {
                r.read_nullable_bytes()?
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_roundtrip_all_versions() {
        for version in 0..=3 {
            let m = MemberMetadata {
                version,
                topics: vec!["a".into(), "b".into()],
                user_data: Some(Bytes::from_static(b"ud")),
                owned_partitions: if version >= 1 {
                    vec![TopicPartitions {
                        topic: "a".into(),
                        partitions: vec![0, 2],
                    }]
                } else {
                    vec![]
                },
                generation_id: if version >= 2 { 5 } else { -1 },
                rack_id: if version >= 3 { Some("r".into()) } else { None },
            };
            let bytes = m.to_bytes().unwrap();
            assert_eq!(MemberMetadata::decode(&bytes).unwrap(), m);
            for cut in 0..bytes.len() {
                assert!(MemberMetadata::decode(&bytes.slice(..cut)).is_err());
            }
        }
    }

    #[test]
    fn metadata_v0_fixture_and_future_version() {
        let m = MemberMetadata {
            topics: vec!["t".into()],
            ..Default::default()
        };
        let bytes = m.to_bytes().unwrap();
        assert_eq!(
            &bytes[..],
            &[0, 0, 0, 0, 0, 1, 0, 1, b't', 0xff, 0xff, 0xff, 0xff]
        );
        // A v9 blob with unknown trailing fields decodes its known prefix.
        let mut future = BytesMut::from(&bytes[..]);
        future[1] = 9;
        future.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xde, 0xad]);
        let d = MemberMetadata::decode(&future.freeze()).unwrap();
        assert_eq!((d.version, d.generation_id, d.rack_id), (9, 1, None));
    }

    #[test]
    fn assignment_roundtrip_and_fixture() {
        let a = MemberAssignment {
            version: 0,
            assigned_partitions: vec![TopicPartitions {
                topic: "t".into(),
                partitions: vec![3],
            }],
            user_data: None,
        };
        let bytes = a.to_bytes().unwrap();
        #[rustfmt::skip]
        assert_eq!(
            &bytes[..],
            &[0, 0, 0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 1, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(MemberAssignment::decode(&bytes).unwrap(), a);
        assert_eq!(
            MemberAssignment::decode(&bytes.slice(..bytes.len() - 4)).unwrap(),
            a
        );
        assert_eq!(
            MemberAssignment::decode(&Bytes::new()).unwrap(),
            MemberAssignment::default()
        );
        assert!(MemberAssignment::decode(&bytes.slice(..10)).is_err());
    }

    #[test]
    fn topics_blowup_memory() {
        let data = Bytes::from_static(&[0, 1, 0x7f, 0xff, 0xff, 0xff, 0, 0]);
        assert!(matches!(
            MemberMetadata::decode(&data),
            Err(DecodeError::InvalidLength(_))
        ));
        assert!(MemberAssignment::decode(&data).is_err());
    }
}
