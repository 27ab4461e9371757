//! Query strings: percent-decoding to raw bytes (scripted bodies may hold any byte, invalid UTF-8
//! included) and lookup of repeated parameters.

/// The parameters of a query string, in order, with percent-decoded names and values.
pub struct Query {
    pairs: Vec<(String, Vec<u8>)>,
}

impl Query {
    pub fn parse(query: Option<&str>) -> Result<Self, String> {
        let mut pairs = Vec::new();
        for part in query
            .unwrap_or("")
            .split('&')
            .filter(|part| !part.is_empty())
        {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let name = String::from_utf8(percent_decode(name)?)
                .map_err(|_| format!("parameter name is not UTF-8: {name}"))?;
            pairs.push((name, percent_decode(value)?));
        }
        Ok(Self { pairs })
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The first value of `name` as text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.all(name)
            .next()
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// The first value of `name` as a number; an unparsable one is an error.
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        match self.text(name) {
            None => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| format!("{name}={text} is not a number")),
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(n, _)| n.as_str())
    }
}

/// `%XX` becomes the byte XX; `+` stays a plus (bodies are data, not form text).
pub fn percent_decode(text: &str) -> Result<Vec<u8>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-encoding in {text:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}
