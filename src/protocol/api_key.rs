//! Kafka API keys, and for each the first flexible (KIP-482) version.

macro_rules! api_keys {
    ($($name:ident = $code:literal, flexible_from: $flex:expr;)*) => {
        /// The numeric identifier of a Kafka request type.
        #[repr(i16)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ApiKey {
            $($name = $code,)*
        }

        impl ApiKey {
            /// Every key known to the codec, in numeric order.
            pub const ALL: &'static [ApiKey] = &[$(ApiKey::$name,)*];

            pub fn from_i16(code: i16) -> Option<ApiKey> {
                match code {
                    $($code => Some(ApiKey::$name),)*
                    _ => None,
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(ApiKey::$name => stringify!($name),)*
                }
            }

            /// First version using compact encodings and tagged fields, or
            /// `i16::MAX` for APIs that never became flexible. Kept for every
            /// key (not just the implemented ones) because a server must know
            /// it to parse the request header even of requests it rejects.
            pub const fn first_flexible_version(self) -> i16 {
                match self {
                    $(ApiKey::$name => $flex,)*
                }
            }
        }
    };
}

const NEVER: i16 = i16::MAX;

api_keys! {
    Produce = 0, flexible_from: 9;
    Fetch = 1, flexible_from: 12;
    ListOffsets = 2, flexible_from: 6;
    Metadata = 3, flexible_from: 9;
    LeaderAndIsr = 4, flexible_from: 4;
    StopReplica = 5, flexible_from: 2;
    UpdateMetadata = 6, flexible_from: 6;
    ControlledShutdown = 7, flexible_from: 3;
    OffsetCommit = 8, flexible_from: 8;
    OffsetFetch = 9, flexible_from: 6;
    FindCoordinator = 10, flexible_from: 3;
    JoinGroup = 11, flexible_from: 6;
    Heartbeat = 12, flexible_from: 4;
    LeaveGroup = 13, flexible_from: 4;
    SyncGroup = 14, flexible_from: 4;
    DescribeGroups = 15, flexible_from: 5;
    ListGroups = 16, flexible_from: 3;
    SaslHandshake = 17, flexible_from: NEVER;
    ApiVersions = 18, flexible_from: 3;
    CreateTopics = 19, flexible_from: 5;
    DeleteTopics = 20, flexible_from: 4;
    DeleteRecords = 21, flexible_from: 2;
    InitProducerId = 22, flexible_from: 2;
    OffsetForLeaderEpoch = 23, flexible_from: 4;
    AddPartitionsToTxn = 24, flexible_from: 3;
    AddOffsetsToTxn = 25, flexible_from: 3;
    EndTxn = 26, flexible_from: 3;
    WriteTxnMarkers = 27, flexible_from: 1;
    TxnOffsetCommit = 28, flexible_from: 3;
    DescribeAcls = 29, flexible_from: 2;
    CreateAcls = 30, flexible_from: 2;
    DeleteAcls = 31, flexible_from: 2;
    DescribeConfigs = 32, flexible_from: 4;
    AlterConfigs = 33, flexible_from: 2;
    AlterReplicaLogDirs = 34, flexible_from: 2;
    DescribeLogDirs = 35, flexible_from: 2;
    SaslAuthenticate = 36, flexible_from: 2;
    CreatePartitions = 37, flexible_from: 2;
    CreateDelegationToken = 38, flexible_from: 2;
    RenewDelegationToken = 39, flexible_from: 2;
    ExpireDelegationToken = 40, flexible_from: 2;
    DescribeDelegationToken = 41, flexible_from: 2;
    DeleteGroups = 42, flexible_from: 2;
    ElectLeaders = 43, flexible_from: 2;
    IncrementalAlterConfigs = 44, flexible_from: 1;
    AlterPartitionReassignments = 45, flexible_from: 0;
    ListPartitionReassignments = 46, flexible_from: 0;
    OffsetDelete = 47, flexible_from: NEVER;
    DescribeClientQuotas = 48, flexible_from: 1;
    AlterClientQuotas = 49, flexible_from: 1;
    DescribeUserScramCredentials = 50, flexible_from: 0;
    AlterUserScramCredentials = 51, flexible_from: 0;
}

impl ApiKey {
    pub const fn as_i16(self) -> i16 {
        self as i16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &k in ApiKey::ALL {
            assert_eq!(ApiKey::from_i16(k.as_i16()), Some(k));
        }
        assert_eq!(ApiKey::from_i16(18), Some(ApiKey::ApiVersions));
        assert_eq!(ApiKey::InitProducerId.as_i16(), 22);
        assert_eq!(ApiKey::from_i16(-1), None);
        assert_eq!(ApiKey::from_i16(1000), None);
    }
}
