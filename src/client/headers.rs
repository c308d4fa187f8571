//! Message headers: an ordered list of (name, optional binary value) pairs
//! where names may repeat, as Kafka defines them.
//!
//! Names and values are stored with a trailing NUL that is not part of
//! their length, and each in its own heap allocation: the C API hands out
//! pointers to them, promises NUL-terminated values, and requires those
//! pointers to survive unrelated additions (which may move the list).

use crate::error::ErrorCode;

/// One header. A value is either absent (`None`, Kafka's null) or a byte
/// string, possibly empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Name bytes followed by one NUL.
    name: Box<[u8]>,
    /// Value bytes followed by one NUL.
    value: Option<Box<[u8]>>,
}

fn with_nul(bytes: &[u8]) -> Box<[u8]> {
    let mut stored = Vec::with_capacity(bytes.len() + 1);
    stored.extend_from_slice(bytes);
    stored.push(0);
    stored.into_boxed_slice()
}

fn without_nul(stored: &[u8]) -> &[u8] {
    &stored[..stored.len().saturating_sub(1)]
}

impl Header {
    pub fn new(name: &[u8], value: Option<&[u8]>) -> Self {
        Header {
            name: with_nul(name),
            value: value.map(with_nul),
        }
    }

    pub fn name(&self) -> &[u8] {
        without_nul(&self.name)
    }

    pub fn value(&self) -> Option<&[u8]> {
        self.value.as_deref().map(without_nul)
    }

    /// The name including its trailing NUL, for handing to C.
    pub fn name_with_nul(&self) -> &[u8] {
        &self.name
    }

    /// The value including its trailing NUL, for handing to C.
    pub fn value_with_nul(&self) -> Option<&[u8]> {
        self.value.as_deref()
    }
}

/// The header list of one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<Header>,
    /// Set on headers the application may look at but not change (those of
    /// a message already handed to the producer or of a consumed message);
    /// the message module decides when.
    read_only: bool,
}

impl Headers {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(count: usize) -> Self {
        Headers {
            entries: Vec::with_capacity(count),
            read_only: false,
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All headers in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &Header> {
        self.entries.iter()
    }

    /// Appends a header; duplicates of an existing name are kept.
    pub fn add(&mut self, name: &[u8], value: Option<&[u8]>) -> Result<(), ErrorCode> {
        self.writable()?;
        self.entries.push(Header::new(name, value));
        Ok(())
    }

    /// Removes every header called `name`; `_NOENT` if there was none.
    pub fn remove(&mut self, name: &[u8]) -> Result<(), ErrorCode> {
        self.writable()?;
        let before = self.entries.len();
        self.entries.retain(|h| h.name() != name);
        if self.entries.len() == before {
            Err(ErrorCode::RD_KAFKA_RESP_ERR__NOENT)
        } else {
            Ok(())
        }
    }

    /// The most recently added header called `name`.
    pub fn get_last(&self, name: &[u8]) -> Option<&Header> {
        self.entries.iter().rev().find(|h| h.name() == name)
    }

    /// The `idx`-th (from 0, in insertion order) header called `name`.
    pub fn get(&self, idx: usize, name: &[u8]) -> Option<&Header> {
        self.entries.iter().filter(|h| h.name() == name).nth(idx)
    }

    /// The `idx`-th header regardless of name.
    pub fn get_all(&self, idx: usize) -> Option<&Header> {
        self.entries.get(idx)
    }

    fn writable(&self) -> Result<(), ErrorCode> {
        if self.read_only {
            Err(ErrorCode::RD_KAFKA_RESP_ERR__READ_ONLY)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Headers {
        let mut h = Headers::with_capacity(1);
        h.add(b"a", Some(b"1")).unwrap();
        h.add(b"b", None).unwrap();
        h.add(b"a", Some(b"")).unwrap();
        h.add(b"c", Some(b"3")).unwrap();
        h
    }

    #[test]
    fn keeps_order_and_duplicates() {
        let h = sample();
        assert_eq!(h.len(), 4);
        let names: Vec<&[u8]> = h.iter().map(Header::name).collect();
        assert_eq!(names, [&b"a"[..], b"b", b"a", b"c"]);
        assert_eq!(h.get_all(1).unwrap().value(), None);
        assert!(h.get_all(4).is_none());
    }

    #[test]
    fn lookups_by_name() {
        let h = sample();
        assert_eq!(h.get_last(b"a").unwrap().value(), Some(&b""[..]));
        assert_eq!(h.get(0, b"a").unwrap().value(), Some(&b"1"[..]));
        assert_eq!(h.get(1, b"a").unwrap().value(), Some(&b""[..]));
        assert!(h.get(2, b"a").is_none());
        assert!(h.get_last(b"zz").is_none());
        // A prefix is not a match.
        assert!(h.get_last(b"").is_none());
    }

    #[test]
    fn null_and_empty_values_differ() {
        let h = sample();
        assert_eq!(h.get_last(b"b").unwrap().value(), None);
        assert_eq!(h.get_last(b"b").unwrap().value_with_nul(), None);
        let empty = h.get_last(b"a").unwrap();
        assert_eq!(empty.value(), Some(&b""[..]));
        assert_eq!(empty.value_with_nul(), Some(&b"\0"[..]));
        assert_eq!(empty.name_with_nul(), b"a\0");
    }

    #[test]
    fn remove_drops_every_match() {
        let mut h = sample();
        h.remove(b"a").unwrap();
        assert_eq!(h.len(), 2);
        assert!(h.get_last(b"a").is_none());
        assert_eq!(h.remove(b"a"), Err(ErrorCode::RD_KAFKA_RESP_ERR__NOENT));
    }

    #[test]
    fn read_only_rejects_changes_but_allows_reads() {
        let mut h = sample();
        h.set_read_only(true);
        assert!(h.is_read_only());
        assert_eq!(
            h.add(b"x", None),
            Err(ErrorCode::RD_KAFKA_RESP_ERR__READ_ONLY)
        );
        assert_eq!(h.remove(b"a"), Err(ErrorCode::RD_KAFKA_RESP_ERR__READ_ONLY));
        assert_eq!(h.len(), 4);
        assert!(h.get_last(b"c").is_some());
    }

    #[test]
    fn stored_bytes_survive_list_growth() {
        let mut h = Headers::new();
        h.add(b"first", Some(b"value")).unwrap();
        let value_ptr = h.get_all(0).unwrap().value_with_nul().unwrap().as_ptr();
        for i in 0..100u8 {
            h.add(&[i], Some(&[i])).unwrap();
        }
        let again = h.get_all(0).unwrap().value_with_nul().unwrap().as_ptr();
        assert_eq!(value_ptr, again);
    }
}
