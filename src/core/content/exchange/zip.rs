//! A minimal ZIP writer (stored entries, no compression): enough for a QTI
//! content package, which platforms import as a `.zip`. The layout is
//! PKWARE's APPNOTE: local headers, then the central directory, then its
//! end record. Dates are fixed (1980-01-01) so the same pack gives the
//! same bytes.

/// CRC-32 (IEEE, reflected, as ZIP uses).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// Why an archive could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// A file or the whole archive is past ZIP's 4 GiB or 65,535-entry limits.
    #[error("the package is too large for a ZIP file")]
    TooLarge,
}

fn u16_of(n: usize) -> Result<u16, ZipError> {
    u16::try_from(n).map_err(|_| ZipError::TooLarge)
}

fn u32_of(n: usize) -> Result<u32, ZipError> {
    u32::try_from(n).map_err(|_| ZipError::TooLarge)
}

/// The archive holding `files` (name, bytes), in order.
pub fn archive(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ZipError> {
    const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = u32_of(out.len())?;
        let crc = crc32(data);
        let size = u32_of(data.len())?;
        let name_len = u16_of(name.len())?;
        // Local file header; flag bit 11: the name is UTF-8.
        out.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
        for v in [20_u16, 1 << 11, 0, 0, DOS_DATE] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0_u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry.
        central.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        for v in [20_u16, 20, 1 << 11, 0, 0, DOS_DATE] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name_len, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0_u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_at = u32_of(out.len())?;
    let central_len = u32_of(central.len())?;
    let count = u16_of(files.len())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50_u32.to_le_bytes());
    for v in [0_u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&0_u16.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn an_archive_lists_each_file_and_ends_with_the_directory_record() {
        let files = vec![
            ("a.txt".to_string(), b"hello".to_vec()),
            ("dir/b.xml".to_string(), b"<x/>".to_vec()),
        ];
        let z = archive(&files).expect("small");
        assert_eq!(&z[..4], b"PK\x03\x04");
        let end = z.len() - 22;
        assert_eq!(&z[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([z[end + 10], z[end + 11]]), 2);
        let windows = z.windows(5).filter(|w| *w == b"hello").count();
        assert_eq!(windows, 1);
    }
}
