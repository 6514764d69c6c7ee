//! IPv4/IPv6 CIDR blocks with `std::net` only: parse `10.0.0.0/16`, test membership.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A network: its address with the host bits cleared, and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` lies in this block (an IPv4 address is never in an IPv6 block, nor back).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => mask32(u32::from(a), self.prefix) == u32::from(n),
            (IpAddr::V6(n), IpAddr::V6(a)) => mask128(u128::from(a), self.prefix) == u128::from(n),
            _ => false,
        }
    }
}

fn mask32(v: u32, prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        v & (u32::MAX << (32 - u32::from(prefix)))
    }
}

fn mask128(v: u128, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        v & (u128::MAX << (128 - u32::from(prefix)))
    }
}

impl FromStr for Cidr {
    type Err = String;

    /// `ADDR/PREFIX`. Host bits must be zero (`10.0.0.1/16` is refused: it is most likely a
    /// typo, and AWS never reports a VPC CIDR that way).
    fn from_str(s: &str) -> Result<Cidr, String> {
        let bad = |why: &str| format!("`{s}` is not a CIDR block like 10.0.0.0/16: {why}");
        let (addr, prefix) = s.split_once('/').ok_or_else(|| bad("no `/PREFIX`"))?;
        let ip: IpAddr = addr.parse().map_err(|_| bad("not an IP address"))?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= max && !prefix.starts_with('+'))
            .ok_or_else(|| bad(&format!("the prefix must be 0..={max}")))?;
        let net = match ip {
            IpAddr::V4(a) => IpAddr::V4(mask32(u32::from(a), prefix).into()),
            IpAddr::V6(a) => IpAddr::V6(mask128(u128::from(a), prefix).into()),
        };
        if net != ip {
            return Err(bad(&format!(
                "host bits are set (the block is {net}/{prefix})"
            )));
        }
        Ok(Cidr { net, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn membership() {
        let cases = [
            ("10.0.0.0/16", "10.0.0.0", true),
            ("10.0.0.0/16", "10.0.255.255", true),
            ("10.0.0.0/16", "10.1.0.0", false),
            ("10.0.0.0/16", "10.20.0.11", false),
            ("10.0.0.0/8", "10.20.0.11", true),
            ("172.16.0.0/12", "172.31.255.1", true),
            ("172.16.0.0/12", "172.32.0.1", false),
            ("192.168.1.0/24", "192.168.1.200", true),
            ("192.168.1.128/25", "192.168.1.127", false),
            ("100.64.0.0/10", "100.127.255.255", true),
            ("100.64.0.0/10", "100.128.0.0", false),
            ("10.0.0.5/32", "10.0.0.5", true),
            ("10.0.0.5/32", "10.0.0.6", false),
            ("0.0.0.0/0", "203.0.113.7", true),
            ("2600:1f18::/56", "2600:1f18::1", true),
            ("2600:1f18::/56", "2600:1f18:0:100::1", false),
            ("::/0", "::1", true),
            ("10.0.0.0/16", "2600:1f18::1", false),
            ("2600:1f18::/56", "10.0.0.1", false),
        ];
        for (block, addr, want) in cases {
            let c: Cidr = block.parse().unwrap();
            assert_eq!(c.contains(ip(addr)), want, "{block} contains {addr}");
            assert_eq!(c.to_string(), block);
        }
    }

    #[test]
    fn bad_blocks_are_refused_with_why() {
        let cases = [
            ("10.0.0.0", "no `/PREFIX`"),
            ("10.0.0/16", "not an IP address"),
            ("10.0.0.0/33", "0..=32"),
            ("10.0.0.0/+8", "0..=32"),
            ("10.0.0.0/", "0..=32"),
            ("::/129", "0..=128"),
            (
                "10.0.0.1/16",
                "host bits are set (the block is 10.0.0.0/16)",
            ),
            ("web/16", "not an IP address"),
        ];
        for (text, why) in cases {
            let e = text.parse::<Cidr>().unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
