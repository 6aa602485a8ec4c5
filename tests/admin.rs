//! The back office over HTTP (written below).
