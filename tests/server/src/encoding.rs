//! `Content-Encoding` for scripted streams (`zN=gzip|deflate|br`): one compressor per response,
//! flushed after every write so the client can decode each write as it arrives, as a streaming
//! server with compression does.

use std::io::Write;

pub enum Encoder {
    Gzip(flate2::write::GzEncoder<Vec<u8>>),
    Deflate(flate2::write::ZlibEncoder<Vec<u8>>),
    Brotli(Box<brotli::CompressorWriter<Vec<u8>>>),
}

impl Encoder {
    /// The encoder for a `Content-Encoding` name, or an error naming the known ones.
    pub fn new(name: &str) -> Result<Self, String> {
        let level = flate2::Compression::default();
        match name {
            "gzip" => Ok(Self::Gzip(flate2::write::GzEncoder::new(Vec::new(), level))),
            "deflate" => Ok(Self::Deflate(flate2::write::ZlibEncoder::new(
                Vec::new(),
                level,
            ))),
            "br" => Ok(Self::Brotli(Box::new(brotli::CompressorWriter::new(
                Vec::new(),
                4096,
                5,
                22,
            )))),
            other => Err(format!("z{other}: want gzip, deflate or br")),
        }
    }

    /// The compressed bytes for one write, flushed so they decode on their own.
    pub fn write(&mut self, bytes: &[u8]) -> Vec<u8> {
        // Writing to a Vec cannot fail.
        let _ = match self {
            Self::Gzip(encoder) => encoder.write_all(bytes).and_then(|()| encoder.flush()),
            Self::Deflate(encoder) => encoder.write_all(bytes).and_then(|()| encoder.flush()),
            Self::Brotli(encoder) => encoder.write_all(bytes).and_then(|()| encoder.flush()),
        };
        std::mem::take(self.output())
    }

    /// The stream's closing bytes (trailer), for a body that ends cleanly.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Self::Gzip(encoder) => encoder.finish().unwrap_or_default(),
            Self::Deflate(encoder) => encoder.finish().unwrap_or_default(),
            Self::Brotli(encoder) => encoder.into_inner(),
        }
    }

    fn output(&mut self) -> &mut Vec<u8> {
        match self {
            Self::Gzip(encoder) => encoder.get_mut(),
            Self::Deflate(encoder) => encoder.get_mut(),
            Self::Brotli(encoder) => encoder.get_mut(),
        }
    }
}
