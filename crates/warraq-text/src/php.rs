//! PHP `serialize()` output, decoded safely: what WordPress keeps in
//! postmeta, options and term descriptions (a WXR file's `<wp:meta_value>`,
//! Polylang's `post_translations` terms).
//!
//! Only plain data is decoded: `N;`, `b:0;`, `i:-5;`, `d:1.5;` (and `INF`,
//! `-INF`, `NAN`), `s:LEN:"…";` and `a:N:{key;value…}` with integer or string
//! keys. Objects (`O:`, `C:`), enums (`E:`) and references (`r:`, `R:`) are
//! refused, never instantiated or followed.
//!
//! WordPress databases often hold strings whose declared byte length is
//! wrong: a charset conversion or a search-and-replace changed the text but
//! not its `s:LEN:` (Arabic counted as one byte a letter in windows-1256, or
//! twice over after double encoding). PHP then refuses the whole value. Here
//! a declared length that lands on the closing `";` is trusted; one that does
//! not is recovered: the closing `";` nearest the declared end that lets the
//! rest of the input parse wins, found by backtracking, and the string is
//! simply the bytes between the quotes (its length recomputed for UTF-8).
//! Invalid UTF-8 inside a string is decoded lossily (U+FFFD).
//!
//! Hostile input is bounded: at most [`MAX_INPUT`] bytes, arrays nested at
//! most [`MAX_DEPTH`] deep, and a work budget linear in the input's size for
//! the recovery search; past any of them the answer is an error, never a
//! panic, a stack overflow or an endless search.

use std::fmt;

/// The largest input decoded, in bytes.
pub const MAX_INPUT: usize = 16 * 1024 * 1024;

/// The deepest nesting of arrays decoded (the top-level array is depth 1).
pub const MAX_DEPTH: usize = 64;

/// A decoded PHP value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A PHP array: its entries in the order written.
    Array(Vec<(Key, Value)>),
}

/// A PHP array key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Int(i64),
    Str(String),
}

/// Why a value could not be decoded, and where (a byte offset into the
/// input as given, surrounding whitespace included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for Error {}

impl Key {
    /// Whether this key is the one PHP would find for `$array[key]` with a
    /// string `key`: integer keys match their decimal form ("7", "-1").
    pub fn matches(&self, key: &str) -> bool {
        match self {
            Key::Str(s) => s == key,
            Key::Int(i) => key.parse::<i64>().ok() == Some(*i) && i.to_string() == key,
        }
    }
}

impl Value {
    /// The entry of an array under `key` (an integer key matches its decimal
    /// form). When a key is written twice the last one wins, as in PHP.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Array(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.matches(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// An integer, or a string holding one (`"201"`, as postmeta IDs often
    /// are; surrounding ASCII whitespace allowed).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Str(s) => {
                let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
                let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                t.parse().ok()
            }
            _ => None,
        }
    }

    /// The entries of an array.
    pub fn as_array(&self) -> Option<&[(Key, Value)]> {
        match self {
            Value::Array(entries) => Some(entries),
            _ => None,
        }
    }
}

/// Decodes one serialized value; surrounding whitespace is ignored (as
/// WordPress's `maybe_unserialize` trims), anything else after the value is
/// an error.
pub fn unserialize(input: &str) -> Result<Value, Error> {
    unserialize_bytes(input.as_bytes())
}

/// [`unserialize`] for raw bytes: strings that are not valid UTF-8 are
/// decoded lossily.
pub fn unserialize_bytes(input: &[u8]) -> Result<Value, Error> {
    if input.len() > MAX_INPUT {
        return Err(Error {
            offset: MAX_INPUT,
            message: format!("input longer than the limit of {MAX_INPUT} bytes"),
        });
    }
    let start = input
        .iter()
        .position(|b| !is_php_space(*b))
        .unwrap_or(input.len());
    let end = input
        .iter()
        .rposition(|b| !is_php_space(*b))
        .map_or(start, |p| p + 1);
    let mut machine = Machine {
        b: &input[..end],
        pos: start,
        stack: Vec::new(),
        events: Vec::new(),
        choices: Vec::new(),
        steps: 0,
        budget: 1_000_000 + 16 * input.len() as u64,
        furthest: None,
    };
    machine.run()?;
    let mut i = 0;
    build(machine.b, &machine.events, &mut i, 0).ok_or_else(|| Error {
        offset: start,
        message: "internal error: inconsistent parse".into(),
    })
}

/// Whether `input` looks like serialized PHP, as WordPress's
/// `is_serialized()` (strict) decides: it looks at the shape only, so a value
/// it accepts may still be refused by [`unserialize`] (objects, for one).
pub fn looks_serialized(input: &str) -> bool {
    let data = input.trim_matches(|c: char| c.is_ascii() && is_php_space(c as u8));
    let b = data.as_bytes();
    if data == "N;" {
        return true;
    }
    if b.len() < 4 || b[1] != b':' {
        return false;
    }
    let last = b[b.len() - 1];
    if last != b';' && last != b'}' {
        return false;
    }
    let token = b[0];
    match token {
        b's' | b'a' | b'O' | b'E' => {
            if token == b's' && b[b.len() - 2] != b'"' {
                return false;
            }
            // ^T:[0-9]+:
            let digits = b[2..].iter().take_while(|c| c.is_ascii_digit()).count();
            digits > 0 && b.get(2 + digits) == Some(&b':')
        }
        b'b' | b'i' | b'd' => {
            // ^T:[0-9.E+-]+;$
            let body = &b[2..b.len() - 1];
            last == b';'
                && !body.is_empty()
                && body
                    .iter()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'E' | b'+' | b'-'))
        }
        _ => false,
    }
}

/// PHP's `trim()` set.
fn is_php_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0B)
}

/// What the parse found, in order; the value tree is built from these once
/// the whole input has parsed. `Array(n)` is followed by `2n` values (key,
/// value, …) and an `End`.
#[derive(Debug, Clone, Copy)]
enum Event {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// The string's bytes, `start..end`.
    Str(usize, usize),
    Array(usize),
    End,
}

/// A string whose declared length did not land on `";`: the candidates for
/// its end not tried yet, nearest the declared end first.
struct Choice {
    /// How many events preceded the string.
    events_len: usize,
    /// First byte of the string's content.
    start: usize,
    /// Where the declared length ends (clamped to the input).
    declared: usize,
    /// The next distance from `declared` to look at.
    dist: usize,
    /// A candidate found above `declared` at the same distance as one below,
    /// to hand out next.
    pending: Option<usize>,
}

enum Fail {
    /// This path does not parse; another recovery candidate may.
    Soft(Error),
    /// Stop: the work budget is spent.
    Hard(Error),
}

fn fail(offset: usize, message: impl Into<String>) -> Fail {
    Fail::Soft(Error {
        offset,
        message: message.into(),
    })
}

fn soft<T>(offset: usize, message: impl Into<String>) -> Result<T, Fail> {
    Err(fail(offset, message))
}

struct Machine<'a> {
    b: &'a [u8],
    pos: usize,
    /// Slots left in each open array (two per entry: key and value).
    stack: Vec<usize>,
    events: Vec<Event>,
    choices: Vec<Choice>,
    steps: u64,
    budget: u64,
    /// The failure that got furthest into the input: the one reported.
    furthest: Option<Error>,
}

impl Machine<'_> {
    fn run(&mut self) -> Result<(), Error> {
        loop {
            match self.step() {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(Fail::Hard(e)) => return Err(e),
                Err(Fail::Soft(e)) => {
                    if self.furthest.as_ref().is_none_or(|f| e.offset > f.offset) {
                        self.furthest = Some(e);
                    }
                    match self.backtrack() {
                        Ok(true) => {}
                        Ok(false) => {
                            return Err(self.furthest.take().unwrap_or(Error {
                                offset: self.pos,
                                message: "cannot decode".into(),
                            }))
                        }
                        Err(Fail::Hard(e)) | Err(Fail::Soft(e)) => return Err(e),
                    }
                }
            }
        }
    }

    fn tick(&mut self, n: usize) -> Result<(), Fail> {
        self.steps += n as u64;
        if self.steps > self.budget {
            return Err(Fail::Hard(Error {
                offset: self.pos,
                message: "too many damaged string lengths to recover".into(),
            }));
        }
        Ok(())
    }

    /// Parses the next token; `true` once the whole input has parsed.
    fn step(&mut self) -> Result<bool, Fail> {
        self.tick(1)?;
        match self.stack.last().copied() {
            None if !self.events.is_empty() => {
                if self.pos == self.b.len() {
                    Ok(true)
                } else {
                    soft(self.pos, "unexpected data after the value")
                }
            }
            None => self.value(false).map(|_| false),
            Some(0) => {
                self.expect(b"}")?;
                self.stack.pop();
                self.events.push(Event::End);
                Ok(false)
            }
            Some(slots) => self.value(slots % 2 == 0).map(|_| false),
        }
    }

    /// Records a token, filling a slot of the enclosing array.
    fn emit(&mut self, event: Event) {
        if let Some(slots) = self.stack.last_mut() {
            *slots -= 1;
        }
        self.events.push(event);
        if let Event::Array(n) = event {
            self.stack.push(2 * n);
        }
    }

    fn expect(&mut self, literal: &[u8]) -> Result<(), Fail> {
        for &want in literal {
            match self.b.get(self.pos) {
                Some(&got) if got == want => self.pos += 1,
                Some(&got) => {
                    return soft(
                        self.pos,
                        format!("expected {:?}, found {}", want as char, describe(got)),
                    )
                }
                None => return soft(self.pos, "unexpected end of input"),
            }
        }
        Ok(())
    }

    /// The bytes up to (not including) `end`, which is consumed.
    fn until(&mut self, end: u8) -> Result<&[u8], Fail> {
        let from = self.pos;
        loop {
            self.tick(1)?;
            match self.b.get(self.pos) {
                Some(&c) if c == end => {
                    self.pos += 1;
                    return Ok(&self.b[from..self.pos - 1]);
                }
                Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {
                    self.pos += 1
                }
                Some(&c) => {
                    return soft(
                        self.pos,
                        format!("expected {:?}, found {}", end as char, describe(c)),
                    )
                }
                None => return soft(self.pos, "unexpected end of input"),
            }
        }
    }

    /// An unsigned decimal count (a length or an array size) ended by `end`.
    fn count(&mut self, end: u8) -> Result<usize, Fail> {
        let at = self.pos;
        let digits = self.until(end)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return soft(at, "expected a length");
        }
        match std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse().ok())
        {
            Some(n) => Ok(n),
            None => soft(at, "length out of range"),
        }
    }

    fn value(&mut self, key: bool) -> Result<(), Fail> {
        let at = self.pos;
        let Some(&c) = self.b.get(at) else {
            return soft(at, "unexpected end of input");
        };
        if key && c == b'}' {
            return soft(at, "the array has fewer entries than it declares");
        }
        if key && c != b'i' && c != b's' {
            return soft(
                at,
                format!("array keys are integers or strings, found {}", describe(c)),
            );
        }
        match c {
            b'N' => {
                self.expect(b"N;")?;
                self.emit(Event::Null);
            }
            b'b' => {
                self.expect(b"b:")?;
                let v = match self.b.get(self.pos) {
                    Some(b'0') => false,
                    Some(b'1') => true,
                    Some(_) => return soft(self.pos, "a boolean is 0 or 1"),
                    None => return soft(self.pos, "unexpected end of input"),
                };
                self.pos += 1;
                self.expect(b";")?;
                self.emit(Event::Bool(v));
            }
            b'i' => {
                self.expect(b"i:")?;
                let from = self.pos;
                let digits = self.until(b';')?;
                let n = parse_int(digits).ok_or_else(|| fail(from, "expected an integer"))?;
                self.emit(Event::Int(n));
            }
            b'd' => {
                self.expect(b"d:")?;
                let from = self.pos;
                let text = self.until(b';')?;
                let f = parse_float(text).ok_or_else(|| fail(from, "expected a number"))?;
                self.emit(Event::Float(f));
            }
            b's' => self.string()?,
            b'a' => {
                self.expect(b"a:")?;
                let from = self.pos;
                let n = self.count(b':')?;
                if n > self.b.len() {
                    return soft(
                        from,
                        format!("an array of {n} entries cannot fit the input"),
                    );
                }
                self.expect(b"{")?;
                if self.stack.len() >= MAX_DEPTH {
                    return soft(at, format!("arrays nested deeper than {MAX_DEPTH}"));
                }
                self.emit(Event::Array(n));
            }
            b'O' | b'o' | b'C' if self.b.get(at + 1) == Some(&b':') => {
                return soft(at, "PHP objects are refused")
            }
            b'E' if self.b.get(at + 1) == Some(&b':') => return soft(at, "PHP enums are refused"),
            b'r' | b'R' if self.b.get(at + 1) == Some(&b':') => {
                return soft(at, "PHP references are refused")
            }
            _ => return soft(at, format!("unexpected {}", describe(c))),
        }
        Ok(())
    }

    fn string(&mut self) -> Result<(), Fail> {
        let at = self.pos;
        self.expect(b"s:")?;
        let len = self.count(b':')?;
        self.expect(b"\"")?;
        let start = self.pos;
        let n = self.b.len();
        if let Some(end) = start.checked_add(len) {
            if end + 2 <= n && &self.b[end..end + 2] == b"\";" {
                self.pos = end + 2;
                self.emit(Event::Str(start, end));
                return Ok(());
            }
        }
        // The declared length is wrong: recover.
        let declared = start.saturating_add(len).min(n);
        let mut choice = Choice {
            events_len: self.events.len(),
            start,
            declared,
            dist: 1,
            pending: None,
        };
        match self.next_candidate(&mut choice)? {
            Some(end) => {
                self.choices.push(choice);
                self.pos = end + 2;
                self.emit(Event::Str(start, end));
                Ok(())
            }
            None => soft(
                declared,
                format!("the string at byte {at} is not closed by '\";'"),
            ),
        }
    }

    fn is_close(&self, p: usize) -> bool {
        p + 1 < self.b.len() && self.b[p] == b'"' && self.b[p + 1] == b';'
    }

    /// The next place the string of `choice` may end, nearest its declared
    /// end first (below before above at equal distance).
    fn next_candidate(&mut self, choice: &mut Choice) -> Result<Option<usize>, Fail> {
        if let Some(p) = choice.pending.take() {
            return Ok(Some(p));
        }
        let n = self.b.len();
        loop {
            let d = choice.dist;
            let below = choice
                .declared
                .checked_sub(d)
                .filter(|p| *p >= choice.start);
            let above = choice.declared.checked_add(d).filter(|p| p + 1 < n);
            if below.is_none() && above.is_none() {
                return Ok(None);
            }
            self.tick(1)?;
            choice.dist += 1;
            let below = below.filter(|p| self.is_close(*p));
            let above = above.filter(|p| self.is_close(*p));
            match (below, above) {
                (Some(p), a) => {
                    choice.pending = a;
                    return Ok(Some(p));
                }
                (None, Some(p)) => return Ok(Some(p)),
                (None, None) => {}
            }
        }
    }

    /// Resumes at the most recent damaged string with a candidate left;
    /// `false` when none is.
    fn backtrack(&mut self) -> Result<bool, Fail> {
        while let Some(mut choice) = self.choices.pop() {
            if let Some(end) = self.next_candidate(&mut choice)? {
                self.events.truncate(choice.events_len);
                self.rebuild_stack()?;
                self.pos = end + 2;
                self.emit(Event::Str(choice.start, end));
                self.choices.push(choice);
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The open arrays as they were after the events kept.
    fn rebuild_stack(&mut self) -> Result<(), Fail> {
        self.tick(self.events.len())?;
        self.stack.clear();
        for event in &self.events {
            match *event {
                Event::End => {
                    self.stack.pop();
                }
                e => {
                    if let Some(slots) = self.stack.last_mut() {
                        *slots -= 1;
                    }
                    if let Event::Array(n) = e {
                        self.stack.push(2 * n);
                    }
                }
            }
        }
        Ok(())
    }
}

fn describe(b: u8) -> String {
    if b.is_ascii_graphic() || b == b' ' {
        format!("{:?}", b as char)
    } else {
        format!("byte 0x{b:02X}")
    }
}

fn parse_int(digits: &[u8]) -> Option<i64> {
    let unsigned = digits.strip_prefix(b"-").or(digits.strip_prefix(b"+"));
    let body = unsigned.unwrap_or(digits);
    if body.is_empty() || !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn parse_float(text: &[u8]) -> Option<f64> {
    match text {
        b"INF" => return Some(f64::INFINITY),
        b"-INF" => return Some(f64::NEG_INFINITY),
        b"NAN" => return Some(f64::NAN),
        _ => {}
    }
    if !text.iter().any(u8::is_ascii_digit)
        || !text
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// The value whose events start at `*i`.
fn build(b: &[u8], events: &[Event], i: &mut usize, depth: usize) -> Option<Value> {
    let event = *events.get(*i)?;
    *i += 1;
    Some(match event {
        Event::Null => Value::Null,
        Event::Bool(v) => Value::Bool(v),
        Event::Int(n) => Value::Int(n),
        Event::Float(f) => Value::Float(f),
        Event::Str(s, e) => Value::Str(String::from_utf8_lossy(b.get(s..e)?).into_owned()),
        Event::Array(n) => {
            if depth >= MAX_DEPTH {
                return None;
            }
            let mut entries = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                let key = match build(b, events, i, depth + 1)? {
                    Value::Int(k) => Key::Int(k),
                    Value::Str(k) => Key::Str(k),
                    _ => return None,
                };
                let value = build(b, events, i, depth + 1)?;
                entries.push((key, value));
            }
            match events.get(*i)? {
                Event::End => *i += 1,
                _ => return None,
            }
            Value::Array(entries)
        }
        Event::End => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(input: &str) -> Value {
        unserialize(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    fn err(input: &str) -> Error {
        match unserialize(input) {
            Ok(v) => panic!("{input:?} decoded to {v:?}"),
            Err(e) => e,
        }
    }

    /// `s:LEN:"text";` with the right byte length.
    fn s(text: &str) -> String {
        format!("s:{}:\"{}\";", text.len(), text)
    }

    /// `s:LEN:"text";` with `len` as the declared length.
    fn s_len(text: &str, len: usize) -> String {
        format!("s:{len}:\"{text}\";")
    }

    #[test]
    fn scalars() {
        assert_eq!(ok("N;"), Value::Null);
        assert_eq!(ok("b:0;"), Value::Bool(false));
        assert_eq!(ok("b:1;"), Value::Bool(true));
        assert_eq!(ok("i:-5;"), Value::Int(-5));
        assert_eq!(ok("i:0;"), Value::Int(0));
        assert_eq!(ok("i:+7;"), Value::Int(7));
        assert_eq!(ok("i:9223372036854775807;"), Value::Int(i64::MAX));
        assert_eq!(ok("i:-9223372036854775808;"), Value::Int(i64::MIN));
        assert_eq!(ok("d:1.5;"), Value::Float(1.5));
        assert_eq!(ok("d:-0.25;"), Value::Float(-0.25));
        assert_eq!(ok("d:1.0E+25;"), Value::Float(1.0e25));
        assert_eq!(ok("d:3;"), Value::Float(3.0));
        assert_eq!(ok("d:INF;"), Value::Float(f64::INFINITY));
        assert_eq!(ok("d:-INF;"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(ok("d:NAN;"), Value::Float(f) if f.is_nan()));
        assert_eq!(ok("s:5:\"hello\";"), Value::Str("hello".into()));
        assert_eq!(ok("s:0:\"\";"), Value::Str(String::new()));
        // Quotes and semicolons inside a string with the right length.
        assert_eq!(ok("s:4:\"a\";b\";"), Value::Str("a\";b".into()));
        // Surrounding whitespace is ignored, as WordPress trims.
        assert_eq!(ok("  \n i:3; \r\n"), Value::Int(3));
    }

    #[test]
    fn bad_scalars() {
        assert!(err("b:2;").message.contains("boolean"));
        assert_eq!(err("i:;").offset, 2);
        assert_eq!(err("i:1x;").offset, 2);
        assert_eq!(err("i:99999999999999999999;").offset, 2);
        assert_eq!(err("d:infinity;").offset, 2);
        assert_eq!(err("d:.;").offset, 2);
        assert_eq!(err("x").offset, 0);
        assert_eq!(err("").offset, 0);
        assert_eq!(err("i:1;x").offset, 4);
        assert_eq!(err("i:1;i:2;").offset, 4);
        assert_eq!(err("s:-1:\"\";").offset, 2);
    }

    #[test]
    fn arrays() {
        let v = ok(r#"a:2:{s:2:"ar";i:101;s:2:"en";i:102;}"#);
        assert_eq!(
            v,
            Value::Array(vec![
                (Key::Str("ar".into()), Value::Int(101)),
                (Key::Str("en".into()), Value::Int(102)),
            ])
        );
        assert_eq!(v.get("ar").and_then(Value::as_i64), Some(101));
        assert_eq!(v.get("en").and_then(Value::as_i64), Some(102));
        assert_eq!(v.get("fr"), None);
        assert_eq!(ok("a:0:{}"), Value::Array(vec![]));

        let nested = ok(
            r#"a:3:{i:0;s:1:"x";i:1;a:2:{s:4:"meta";a:1:{i:-3;N;}s:1:"b";b:1;}s:2:"id";s:3:"201";}"#,
        );
        assert_eq!(nested.get("0").and_then(Value::as_str), Some("x"));
        let inner = nested.get("1").unwrap();
        assert_eq!(
            inner.get("meta").and_then(|m| m.get("-3")),
            Some(&Value::Null)
        );
        assert_eq!(inner.get("b"), Some(&Value::Bool(true)));
        assert_eq!(nested.get("id").and_then(Value::as_i64), Some(201));
        assert_eq!(nested.get("01"), None);
        assert_eq!(nested.as_array().map(<[_]>::len), Some(3));

        // The last of two equal keys wins, as in PHP.
        assert_eq!(ok("a:2:{i:1;i:5;i:1;i:6;}").get("1"), Some(&Value::Int(6)));
    }

    #[test]
    fn bad_arrays() {
        // Fewer entries than declared.
        assert_eq!(err(r#"a:2:{i:0;s:1:"a";}"#).offset, 17);
        // More entries than declared.
        assert_eq!(err(r#"a:1:{i:0;i:1;i:1;i:2;}"#).offset, 13);
        assert!(err("a:1:{d:1.5;N;}").message.contains("keys"));
        assert!(err("a:1:{N;N;}").message.contains("keys"));
        assert!(err("a:1:{a:0:{}N;}").message.contains("keys"));
        assert!(err("a:99999999999999999999999:{}")
            .message
            .contains("range"));
        assert!(err("a:1000:{}").message.contains("cannot fit"));
    }

    #[test]
    fn arabic_with_right_lengths() {
        let title = "«غزّة» تستقبل أول سفينة مساعدات منذ ٣ أشهر — Reuters";
        let input = format!(
            "a:2:{}{}{}{}{}}}",
            "{",
            s("title"),
            s(title),
            s("lang"),
            s("ar")
        );
        let v = ok(&input);
        assert_eq!(v.get("title").and_then(Value::as_str), Some(title));
        assert_eq!(v.get("lang").and_then(Value::as_str), Some("ar"));
        // A key in Arabic.
        let v = ok(&format!("a:1:{{{}i:1;}}", s("المصدر")));
        assert_eq!(v.get("المصدر"), Some(&Value::Int(1)));
    }

    #[test]
    fn arabic_with_wrong_lengths_recovered() {
        // Lengths counted in characters (windows-1256 counts one byte a letter).
        let text = "أخبار اليوم";
        assert_eq!(text.chars().count(), 11);
        assert_eq!(text.len(), 21);
        assert_eq!(ok(&s_len(text, 11)), Value::Str(text.into()));

        let input = format!(
            "a:3:{{{}{}{}{}{}{}}}",
            s("title"),
            s_len(text, 11),
            s("source"),
            s_len("وكالة الأنباء", 13),
            s("id"),
            "i:7;"
        );
        let v = ok(&input);
        assert_eq!(v.get("title").and_then(Value::as_str), Some(text));
        assert_eq!(
            v.get("source").and_then(Value::as_str),
            Some("وكالة الأنباء")
        );
        assert_eq!(v.get("id").and_then(Value::as_i64), Some(7));

        // Too long (a double-encoded count), in the middle and at the end.
        let input = format!(
            "a:2:{{i:0;{}i:1;{}}}",
            s_len("بيروت", 20),
            s_len("دمشق", 99)
        );
        let v = ok(&input);
        assert_eq!(v.get("0").and_then(Value::as_str), Some("بيروت"));
        assert_eq!(v.get("1").and_then(Value::as_str), Some("دمشق"));

        // A key with a wrong length.
        let v = ok(&format!("a:1:{{{}b:1;}}", s_len("الكاتب", 6)));
        assert_eq!(v.get("الكاتب"), Some(&Value::Bool(true)));

        // The nearest '";' does not let the rest parse; a later one does.
        let quoted = "قال: \"نعم\"; ثم مضى";
        let input = format!("a:2:{{i:0;{}i:1;{}}}", s_len(quoted, 2), s("x"));
        let v = ok(&input);
        assert_eq!(v.get("0").and_then(Value::as_str), Some(quoted));
        assert_eq!(v.get("1").and_then(Value::as_str), Some("x"));

        // A length past the end of the input.
        assert_eq!(ok("s:100:\"abc\";"), Value::Str("abc".into()));
        // Nothing closes the string.
        let e = err("a:1:{i:0;s:3:\"abc\"}");
        assert!(e.message.contains("not closed"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        assert_eq!(
            unserialize_bytes(b"s:2:\"\xff\xfe\";"),
            Ok(Value::Str("\u{FFFD}\u{FFFD}".into()))
        );
        // Windows-1256 bytes with their (right) one-byte-a-letter length.
        assert_eq!(
            unserialize_bytes(b"a:1:{i:0;s:3:\"\xda\xd2\xc9\";}")
                .unwrap()
                .get("0")
                .and_then(Value::as_str),
            Some("\u{FFFD}\u{FFFD}\u{FFFD}")
        );
    }

    #[test]
    fn objects_and_references_refused() {
        let e = err(r#"O:8:"stdClass":1:{s:1:"a";i:1;}"#);
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("objects"), "{e}");
        let e = err(r#"a:1:{i:0;O:8:"stdClass":0:{}}"#);
        assert_eq!(e.offset, 9);
        assert!(e.message.contains("objects"));
        assert!(err(r#"C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}"#)
            .message
            .contains("objects"));
        assert!(err(r#"E:7:"Foo:Bar";"#).message.contains("enums"));
        let e = err("a:2:{i:0;s:1:\"a\";i:1;r:2;}");
        assert_eq!(e.offset, 21);
        assert!(e.message.contains("references"));
        assert!(err("a:2:{i:0;i:1;i:1;R:2;}").message.contains("references"));
        // Plain text starting with one of those letters is just not serialized.
        assert_eq!(err("Omar Haddad").message, "unexpected 'O'");
    }

    #[test]
    fn truncated_input() {
        let full = r#"a:2:{s:5:"title";s:6:"غزة";s:2:"id";i:101;}"#;
        assert!(unserialize(full).is_ok());
        for cut in 0..full.len() {
            if !full.is_char_boundary(cut) {
                continue;
            }
            let e = err(&full[..cut]);
            assert!(e.offset <= cut, "{cut}: {e}");
        }
        let e = err(r#"a:2:{i:0;s:3:"abc";i:1;"#);
        assert_eq!(e.offset, 23);
        assert_eq!(e.to_string(), "at byte 23: unexpected end of input");
        assert_eq!(err(r#"a:1:{s:3:"ab"#).offset, 12);
        assert_eq!(err("i:12").offset, 4);
        assert_eq!(err("a:1:{i:0;N;").offset, 11);
    }

    #[test]
    fn depth_limit() {
        let nest = |depth: usize| {
            let mut s = "a:1:{i:0;".repeat(depth - 1);
            s.push_str("a:0:{}");
            s.push_str(&"}".repeat(depth - 1));
            s
        };
        assert!(unserialize(&nest(MAX_DEPTH)).is_ok());
        let e = err(&nest(MAX_DEPTH + 1));
        assert!(e.message.contains("deeper than 64"), "{e}");
        assert_eq!(e.offset, MAX_DEPTH * 9);
        // Far deeper than any stack would allow for a recursive parser.
        assert!(err(&nest(100_000)).message.contains("deeper"));
    }

    #[test]
    fn size_limit() {
        let big = format!("s:{}:\"{}\";", MAX_INPUT, "x".repeat(MAX_INPUT));
        let e = err(&big);
        assert_eq!(e.offset, MAX_INPUT);
        assert!(e.message.contains("limit"));
    }

    #[test]
    fn hostile_recovery_is_bounded() {
        // Many damaged strings, each with many places it could end, and a
        // broken tail: the search gives up instead of running for ever.
        let entry = "i:0;s:1:\"\";\";\";\";\";\";\";";
        let input = format!("a:400:{{{}", entry.repeat(400));
        let e = err(&input);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn looks_serialized_like_wordpress() {
        for yes in [
            "N;",
            "b:0;",
            "i:-5;",
            "d:1.5;",
            "d:1.0E+25;",
            "s:4:\"test\";",
            "s:3:\"ab\";",
            "a:0:{}",
            r#"a:2:{s:2:"ar";i:101;s:2:"en";i:102;}"#,
            r#"O:8:"stdClass":0:{}"#,
            "  a:0:{}\n",
        ] {
            assert!(looks_serialized(yes), "{yes:?}");
        }
        for no in [
            "",
            "N",
            "hello",
            "a:1",
            "i:1",
            "s:4:test;",
            "i:a;",
            "d:INF;",
            "b:;",
            "a:x:{}",
            "x:1:{}",
            "C:1:\"a\":0:{}",
            "غزة",
        ] {
            assert!(!looks_serialized(no), "{no:?}");
        }
    }

    #[test]
    fn accessors() {
        assert_eq!(Value::Str(" 42 ".into()).as_i64(), Some(42));
        assert_eq!(Value::Str("-7".into()).as_i64(), Some(-7));
        assert_eq!(Value::Str("4x".into()).as_i64(), None);
        assert_eq!(Value::Str("".into()).as_i64(), None);
        assert_eq!(Value::Str("1.5".into()).as_i64(), None);
        assert_eq!(Value::Float(1.0).as_i64(), None);
        assert_eq!(Value::Int(3).as_str(), None);
        assert_eq!(Value::Str("x".into()).get("0"), None);
        assert!(Key::Int(7).matches("7"));
        assert!(!Key::Int(7).matches("07"));
        assert!(!Key::Int(7).matches("+7"));
        assert!(!Key::Str("7".into()).matches("07"));
    }

    /// PHP's `serialize()`; with `chars`, string lengths are counted in
    /// characters instead of bytes (the damage this module recovers).
    fn serialize(v: &Value, chars: bool, out: &mut String) {
        let str_ = |s: &str, out: &mut String| {
            let len = if chars { s.chars().count() } else { s.len() };
            out.push_str(&format!("s:{len}:\"{s}\";"));
        };
        match v {
            Value::Null => out.push_str("N;"),
            Value::Bool(b) => out.push_str(if *b { "b:1;" } else { "b:0;" }),
            Value::Int(i) => out.push_str(&format!("i:{i};")),
            Value::Float(f) => out.push_str(&format!("d:{};", format!("{f:?}").replace('e', "E"))),
            Value::Str(s) => str_(s, out),
            Value::Array(entries) => {
                out.push_str(&format!("a:{}:{{", entries.len()));
                for (k, v) in entries {
                    match k {
                        Key::Int(i) => out.push_str(&format!("i:{i};")),
                        Key::Str(s) => str_(s, out),
                    }
                    serialize(v, chars, out);
                }
                out.push('}');
            }
        }
    }

    fn value_strategy(text: &'static str) -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            (-1e12f64..1e12).prop_map(Value::Float),
            text.prop_map(Value::Str),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            let key = prop_oneof![any::<i64>().prop_map(Key::Int), text.prop_map(Key::Str)];
            prop::collection::vec((key, inner), 0..6).prop_map(Value::Array)
        })
    }

    proptest! {
        #[test]
        fn never_panics(input in any::<String>()) {
            let _ = unserialize(&input);
            let _ = looks_serialized(&input);
        }

        #[test]
        fn never_panics_on_php_like_input(input in "[aisdbNOrR:;{}\"0-9.E+-]{0,80}") {
            let _ = unserialize(&input);
            let _ = looks_serialized(&input);
        }

        #[test]
        fn never_panics_on_damaged_values(
            v in value_strategy("[a-z\";{}]{0,8}"),
            cut in any::<prop::sample::Index>(),
            flip in any::<prop::sample::Index>(),
        ) {
            let mut text = String::new();
            serialize(&v, false, &mut text);
            let bytes = text.as_bytes();
            let _ = unserialize_bytes(&bytes[..cut.index(bytes.len() + 1)]);
            let mut damaged = bytes.to_vec();
            if !damaged.is_empty() {
                let i = flip.index(damaged.len());
                damaged[i] = damaged[i].wrapping_add(1);
            }
            let _ = unserialize_bytes(&damaged);
        }

        #[test]
        fn round_trip(v in value_strategy("\\PC{0,12}")) {
            let mut text = String::new();
            serialize(&v, false, &mut text);
            prop_assert!(looks_serialized(&text));
            prop_assert_eq!(unserialize(&text), Ok(v));
        }

        #[test]
        fn lengths_counted_in_characters_recovered(
            v in value_strategy("[ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءأإآؤئةىًٌٍَُِّْـ«»،؛؟٠-٩ a-z0-9]{0,12}")
        ) {
            let mut text = String::new();
            serialize(&v, true, &mut text);
            prop_assert_eq!(unserialize(&text), Ok(v));
        }
    }
}
