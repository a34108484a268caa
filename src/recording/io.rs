//! The building blocks of a recording: streaming `.npy` and CSV writers, the index of files written
//! and the error type. No family knowledge: families' `record.rs` and [`super::Recorder`] use them.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The files a recording wrote so far, by name, with what `metadata.json` says of each.
pub type FileIndex = BTreeMap<String, Value>;

/// Why a recording could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A file or directory could not be created or written.
    #[error("could not write {}: {error}", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error (in the message, so not also a `source`).
        error: io::Error,
    },
    /// The target directory exists and holds files.
    #[error("{} exists and is not empty: record into a new or empty directory", .path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// The data does not fit the file being written.
    #[error("{}: {message}", .path.display())]
    Invalid {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Maps an I/O error to a [`RecordError`] naming `path`.
pub fn io_error(path: &Path) -> impl FnOnce(io::Error) -> RecordError + '_ {
    move |error| RecordError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// An element type a `.npy` file can hold.
pub trait NpyElement: Copy {
    /// NumPy's type descriptor ("<f8", "|i1", ...).
    const DESCR: &'static str;
    /// Writes the value in little-endian byte order.
    fn write_le(self, out: &mut impl Write) -> io::Result<()>;
    /// Reads a value from its little-endian bytes (exactly `size_of::<Self>()` of them).
    fn read_le(bytes: &[u8]) -> Self;
}

macro_rules! npy_element {
    ($t:ty, $descr:expr) => {
        impl NpyElement for $t {
            const DESCR: &'static str = $descr;
            fn write_le(self, out: &mut impl Write) -> io::Result<()> {
                out.write_all(&self.to_le_bytes())
            }
            fn read_le(bytes: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes.try_into().expect("one element's bytes"))
            }
        }
    };
}

npy_element!(i8, "|i1");
npy_element!(u8, "|u1");
npy_element!(u32, "<u4");
npy_element!(f32, "<f4");
npy_element!(f64, "<f8");

/// A `.npy` file (format 1.0, C order) written row by row; `finish` puts the final row count in its header.
pub struct NpyWriter<T: NpyElement> {
    out: BufWriter<File>,
    path: PathBuf,
    row_shape: Vec<usize>,
    row_len: usize,
    rows: u64,
    header_len: usize,
    finished: bool,
    _element: PhantomData<T>,
}

impl<T: NpyElement> NpyWriter<T> {
    /// Creates `path` for an array of shape (rows, `row_shape`...); `row_shape` empty gives a 1-D array.
    pub fn create(path: impl Into<PathBuf>, row_shape: &[usize]) -> Result<Self, RecordError> {
        let path = path.into();
        // Room for the largest row count, so the header never has to grow.
        let header_len = npy_header::<T>(u64::MAX, row_shape, 0).len();
        let file = File::create(&path).map_err(io_error(&path))?;
        let mut out = BufWriter::new(file);
        out.write_all(&npy_header::<T>(0, row_shape, header_len))
            .map_err(io_error(&path))?;
        Ok(Self {
            out,
            row_len: row_shape.iter().product(),
            row_shape: row_shape.to_vec(),
            rows: 0,
            header_len,
            path,
            finished: false,
            _element: PhantomData,
        })
    }

    /// Appends one row; its length must be the product of the row shape.
    pub fn push_row(&mut self, row: &[T]) -> Result<(), RecordError> {
        if row.len() != self.row_len {
            return Err(RecordError::Invalid {
                path: self.path.clone(),
                message: format!("a row of {} values, expected {}", row.len(), self.row_len),
            });
        }
        for &value in row {
            value.write_le(&mut self.out).map_err(io_error(&self.path))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rewrites the header with the number of rows written, flushes and returns that number.
    pub fn finish(mut self) -> Result<u64, RecordError> {
        self.finished = true;
        self.write_header()
    }

    fn write_header(&mut self) -> Result<u64, RecordError> {
        let header = npy_header::<T>(self.rows, &self.row_shape, self.header_len);
        let path = &self.path;
        self.out.seek(SeekFrom::Start(0)).map_err(io_error(path))?;
        self.out.write_all(&header).map_err(io_error(path))?;
        self.out.seek(SeekFrom::End(0)).map_err(io_error(path))?;
        self.out.flush().map_err(io_error(path))?;
        Ok(self.rows)
    }
}

impl<T: NpyElement> Drop for NpyWriter<T> {
    /// A writer dropped without `finish` (a run that failed) still leaves a valid file.
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.write_header();
        }
    }
}

/// Reads a one-dimensional `.npy` file (format 1.0 or 2.0, C order) of element type `T`; an
/// error names the file and what is wrong (another type, more dimensions, a truncated body).
pub fn read_npy_1d<T: NpyElement>(path: &Path) -> Result<Vec<T>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_npy_1d(&bytes, &path.display())
}

/// Parses the bytes of a one-dimensional `.npy` file (see [`read_npy_1d`]); errors name `name`.
pub fn parse_npy_1d<T: NpyElement>(bytes: &[u8], name: &dyn std::fmt::Display) -> Result<Vec<T>, String> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(format!("{name}: not a .npy file (no \\x93NUMPY magic)"));
    }
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(format!("{name}: .npy format version {v} is not supported")),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| format!("{name}: the header is cut short or not text"))?;
    let descr = format!("'descr': '{}'", T::DESCR);
    if !header.contains(&descr) {
        return Err(format!(
            "{name}: expected elements of type {} ({header})",
            T::DESCR
        ));
    }
    if header.contains("'fortran_order': True") {
        return Err(format!("{name}: Fortran order is not supported"));
    }
    let shape = header
        .split("'shape':")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .map(|s| s.trim().trim_start_matches('('))
        .ok_or_else(|| format!("{name}: no shape in the header"))?;
    let dims: Vec<&str> = shape
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    let [count] = dims.as_slice() else {
        return Err(format!(
            "{name}: expected a one-dimensional array, found shape ({shape})"
        ));
    };
    let count: usize = count
        .parse()
        .map_err(|_| format!("{name}: the shape ({shape}) is not a count"))?;
    let size = std::mem::size_of::<T>();
    let body = &bytes[start + header_len..];
    if body.len() != count * size {
        return Err(format!(
            "{name}: {count} elements need {} bytes after the header, the file has {}",
            count * size,
            body.len()
        ));
    }
    Ok(body.chunks_exact(size).map(T::read_le).collect())
}

/// Writes `values` as a one-dimensional `.npy` file.
pub fn write_npy_1d<T: NpyElement>(path: &Path, values: &[T]) -> Result<(), RecordError> {
    let mut writer = NpyWriter::<T>::create(path, &[])?;
    for &value in values {
        writer.push_row(std::slice::from_ref(&value))?;
    }
    writer.finish().map(|_| ())
}

/// A `.npy` 1.0 header for `rows` rows, padded with spaces to `len` bytes (to a multiple of 64 if 0).
fn npy_header<T: NpyElement>(rows: u64, row_shape: &[usize], len: usize) -> Vec<u8> {
    let shape = if row_shape.is_empty() {
        format!("({rows},)")
    } else {
        let rest: Vec<String> = row_shape.iter().map(|d| d.to_string()).collect();
        format!("({rows}, {})", rest.join(", "))
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {shape}, }}",
        T::DESCR
    );
    let needed = 10 + dict.len() + 1;
    let total = if len == 0 {
        needed.next_multiple_of(64)
    } else {
        len
    };
    debug_assert!(total >= needed && total % 64 == 0);
    let mut header = Vec::with_capacity(total);
    header.extend_from_slice(b"\x93NUMPY\x01\x00");
    header.extend_from_slice(&((total - 10) as u16).to_le_bytes());
    header.extend_from_slice(dict.as_bytes());
    header.resize(total - 1, b' ');
    header.push(b'\n');
    header
}

/// A CSV file written line by line.
pub struct Csv {
    out: BufWriter<File>,
    path: PathBuf,
    rows: u64,
}

impl Csv {
    /// Creates the file and writes the header line.
    pub fn create(path: PathBuf, header: &str) -> Result<Self, RecordError> {
        let file = File::create(&path).map_err(io_error(&path))?;
        let mut out = BufWriter::new(file);
        writeln!(out, "{header}").map_err(io_error(&path))?;
        Ok(Self { out, path, rows: 0 })
    }

    /// Writes `line` (without its newline) as one row.
    pub fn row(&mut self, line: &str) -> Result<(), RecordError> {
        self.out
            .write_all(line.as_bytes())
            .map_err(io_error(&self.path))?;
        self.out.write_all(b"\n").map_err(io_error(&self.path))?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file; returns the number of rows written.
    pub fn finish(mut self) -> Result<u64, RecordError> {
        self.out.flush().map_err(io_error(&self.path))?;
        Ok(self.rows)
    }
}

/// A CSV header field, quoted when needed.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Name of segment `segment` (1-based) of a table: `traces.csv`, `traces-2.csv`, ...
pub fn segment_name(stem: &str, segment: usize, ext: &str) -> String {
    if segment <= 1 {
        format!("{stem}.{ext}")
    } else {
        format!("{stem}-{segment}.{ext}")
    }
}

/// Number of decimals that print multiples of `dt_ms` exactly.
pub fn decimals_of(dt_ms: f64) -> usize {
    (0..9)
        .find(|&d| {
            let scaled = dt_ms * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(9)
}

/// Simulated time in ms of a step, as the decimal number the step stands for.
pub fn step_ms(step: u64, dt_ms: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    (step as f64 * dt_ms * scale).round() / scale
}

/// Notes the final number of rows of a file in its description.
pub fn set_rows(files: &mut FileIndex, name: &str, rows: u64) {
    if let Some(doc) = files.get_mut(name) {
        doc["rows"] = json!(rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_writer_header_is_64_aligned_valid_and_rewritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.npy");
        let mut writer = NpyWriter::<f32>::create(&path, &[3]).expect("create");
        writer.push_row(&[1.0, 2.0, 3.0]).expect("row");
        writer.push_row(&[4.0, 5.0, 6.0]).expect("row");
        assert!(writer.push_row(&[1.0]).is_err(), "a short row is refused");
        assert_eq!(writer.finish().expect("finish"), 2);
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
        let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0);
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).expect("ascii header");
        assert!(header.ends_with('\n'));
        assert!(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        let data = &bytes[10 + header_len..];
        assert_eq!(data.len(), 6 * 4);
        assert_eq!(f32::from_le_bytes(data[20..24].try_into().expect("4 bytes")), 6.0);

        let path = dir.path().join("dropped.npy");
        let mut writer = NpyWriter::<i8>::create(&path, &[2]).expect("create");
        writer.push_row(&[1, -1]).expect("row");
        drop(writer);
        let bytes = std::fs::read(&path).expect("read");
        let data_start = 10 + u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        let header = std::str::from_utf8(&bytes[10..data_start]).expect("ascii");
        assert!(header.contains("'shape': (1, 2)"), "{header}");
        assert_eq!(&bytes[data_start..], &[1, 0xff]);

        let path = dir.path().join("b.npy");
        let writer = NpyWriter::<u32>::create(&path, &[]).expect("create");
        writer.finish().expect("finish");
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(bytes.len() % 64, 0);
        assert!(
            std::str::from_utf8(&bytes[10..])
                .expect("ascii")
                .contains("'shape': (0,)")
        );
    }

    #[test]
    fn decimals_print_steps_exactly() {
        assert_eq!(decimals_of(0.1), 1);
        assert_eq!(decimals_of(1.0), 0);
        assert_eq!(decimals_of(0.05), 2);
        assert_eq!(step_ms(3, 0.1, 1), 0.3);
    }
}
