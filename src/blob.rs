//! Serde helpers that store a vector of numbers as one little-endian byte string, so that big
//! arrays (synapse weights, membrane potentials) encode and decode at memory speed in binary
//! formats. Formats without byte strings (JSON) see an array of bytes. Use as
//! `#[serde(with = "crate::blob")]` on a `Vec<f32>`, `Vec<u32>`, ... field.

use serde::de::{Error, SeqAccess, Visitor};
use serde::{Deserializer, Serializer};

/// A number with a fixed-size little-endian encoding.
pub(crate) trait LeBytes: Copy {
    /// Bytes per value.
    const SIZE: usize;
    /// Name for error messages.
    const NAME: &'static str;
    /// Appends the value's bytes.
    fn put(self, out: &mut Vec<u8>);
    /// The value of exactly `SIZE` bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! le_bytes {
    ($($t:ty),*) => {$(
        impl LeBytes for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            const NAME: &'static str = stringify!($t);
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut raw = [0u8; std::mem::size_of::<$t>()];
                raw.copy_from_slice(bytes);
                <$t>::from_le_bytes(raw)
            }
        }
    )*};
}

le_bytes!(f32, f64, u16, u32, u64, i8, i64);

/// The values as little-endian bytes.
pub(crate) fn to_bytes<T: LeBytes>(values: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * T::SIZE);
    for &v in values {
        v.put(&mut out);
    }
    out
}

/// The values of little-endian bytes; errors when the length is not a whole number of values.
pub(crate) fn from_bytes<T: LeBytes>(bytes: &[u8]) -> Result<Vec<T>, String> {
    if !bytes.len().is_multiple_of(T::SIZE) {
        return Err(format!(
            "{} bytes are not a whole number of {} values",
            bytes.len(),
            T::NAME
        ));
    }
    Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
}

/// Serializes a vector as one byte string.
pub(crate) fn serialize<T: LeBytes, S: Serializer>(values: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(&to_bytes(values))
}

/// Deserializes a vector from one byte string (or an array of bytes).
pub(crate) fn deserialize<'de, T: LeBytes, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    struct BytesVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: LeBytes> Visitor<'de> for BytesVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a byte string of {} values", T::NAME)
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
            from_bytes(bytes).map_err(E::custom)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut bytes = Vec::new();
            while let Some(b) = seq.next_element::<u8>()? {
                bytes.push(b);
            }
            from_bytes(&bytes).map_err(A::Error::custom)
        }
    }

    deserializer.deserialize_byte_buf(BytesVisitor(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Arrays {
        #[serde(with = "crate::blob")]
        weights: Vec<f32>,
        #[serde(with = "crate::blob")]
        states: Vec<i8>,
        #[serde(with = "crate::blob")]
        traces: Vec<f64>,
    }

    #[test]
    fn arrays_round_trip_in_cbor_and_json() {
        let arrays = Arrays {
            weights: vec![1.5, -0.0, f32::MIN_POSITIVE, 3.25e7],
            states: vec![1, -1, -1, 1],
            traces: vec![0.1, 1e-300],
        };
        let mut cbor = Vec::new();
        ciborium::into_writer(&arrays, &mut cbor).expect("encodes");
        let back: Arrays = ciborium::from_reader(cbor.as_slice()).expect("decodes");
        assert_eq!(back, arrays);
        let json = serde_json::to_string(&arrays).expect("encodes");
        assert_eq!(serde_json::from_str::<Arrays>(&json).expect("decodes"), arrays);
    }

    #[test]
    fn a_ragged_byte_string_is_an_error() {
        assert!(from_bytes::<f32>(&[0, 0, 0]).is_err());
    }
}
