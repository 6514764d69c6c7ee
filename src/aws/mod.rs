//! AWS (filled next).
