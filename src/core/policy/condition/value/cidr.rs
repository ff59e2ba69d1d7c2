//! CIDR ranges and addresses, as `IpAddress` / `NotIpAddress` read them.

use std::net::IpAddr;

/// An address or CIDR range; a bare address is /32 (IPv4) or /128 (IPv6).
pub(crate) fn parse_cidr(value: &str) -> Result<(IpAddr, u8), String> {
    let (address, prefix) = match value.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (value, None),
    };
    let address: IpAddr = address
        .parse()
        .map_err(|_| format!("\"{address}\" is not an IPv4 or IPv6 address"))?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => {
            let bits = if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse::<u8>().ok()
            } else {
                None
            };
            match bits {
                Some(bits) if bits <= max => bits,
                _ => {
                    return Err(format!(
                        "the prefix length after '/' must be a number from 0 to {max}"
                    ));
                }
            }
        }
    };
    Ok((address, prefix))
}

/// Is `address` inside `network/prefix`? An IPv4-mapped IPv6 request
/// address (`::ffff:203.0.113.7`) is the same host as its IPv4 form, so it
/// is checked against IPv4 ranges; otherwise the families never mix.
pub(crate) fn ip_in_network(address: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V4(_)) => match a.to_ipv4_mapped() {
            Some(a) => ip_in_network(IpAddr::V4(a), network, prefix),
            None => false,
        },
        (IpAddr::V4(_), IpAddr::V6(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::core::policy::condition::test_support::*;

    // ---- IP addresses ----

    #[test]
    fn ipv4_cidr_ranges() {
        let office = ["203.0.113.0/24"];
        assert!(eval("IpAddress", &office, Some(s("203.0.113.0"))));
        assert!(eval("IpAddress", &office, Some(s("203.0.113.255"))));
        assert!(!eval("IpAddress", &office, Some(s("203.0.114.0"))));
        assert!(!eval("IpAddress", &office, Some(s("203.0.112.255"))));
        assert!(!eval("IpAddress", &office, None));
        assert!(eval("IpAddressIfExists", &office, None));
    }

    #[test]
    fn bare_address_is_a_single_host_and_prefix_edges_work() {
        assert!(eval(
            "IpAddress",
            &["198.51.100.7"],
            Some(s("198.51.100.7"))
        ));
        assert!(!eval(
            "IpAddress",
            &["198.51.100.7"],
            Some(s("198.51.100.8"))
        ));
        assert!(eval("IpAddress", &["0.0.0.0/0"], Some(s("8.8.8.8"))));
        assert!(eval(
            "IpAddress",
            &["198.51.100.7/32"],
            Some(s("198.51.100.7"))
        ));
        assert!(eval(
            "IpAddress",
            &["10.0.0.0/8"],
            Some(s("10.255.255.255"))
        ));
        assert!(!eval("IpAddress", &["10.0.0.0/8"], Some(s("11.0.0.0"))));
        // Host bits in the policy's range are ignored: this is 203.0.113.0/24.
        assert!(eval(
            "IpAddress",
            &["203.0.113.77/24"],
            Some(s("203.0.113.1"))
        ));
    }

    #[test]
    fn ipv6_cidr_ranges() {
        let range = ["2001:DB8:1234:5678::/64"];
        assert!(eval(
            "IpAddress",
            &range,
            Some(s("2001:db8:1234:5678:abcd::1"))
        ));
        assert!(eval(
            "IpAddress",
            &range,
            Some(s("2001:db8:1234:5678:ffff:ffff:ffff:ffff"))
        ));
        assert!(!eval("IpAddress", &range, Some(s("2001:db8:1234:5679::1"))));
        assert!(eval(
            "IpAddress",
            &["2001:db8::1"],
            Some(s("2001:0db8:0:0:0:0:0:1"))
        ));
        assert!(!eval("IpAddress", &["2001:db8::1"], Some(s("2001:db8::2"))));
        assert!(eval("IpAddress", &["::/0"], Some(s("::1"))));
    }

    #[test]
    fn ipv4_and_ipv6_ranges_do_not_mix_except_for_mapped_addresses() {
        assert!(!eval("IpAddress", &["0.0.0.0/0"], Some(s("2001:db8::1"))));
        assert!(!eval("IpAddress", &["::/0"], Some(s("203.0.113.9"))));
        assert!(!eval(
            "IpAddress",
            &["2001:db8::/32"],
            Some(s("203.0.113.9"))
        ));
        assert!(eval(
            "IpAddress",
            &["203.0.113.0/24"],
            Some(s("::ffff:203.0.113.9"))
        ));
        assert!(!eval(
            "IpAddress",
            &["203.0.113.0/24"],
            Some(s("::ffff:203.0.114.9"))
        ));
    }

    #[test]
    fn not_ip_address_with_several_ranges_must_match_none() {
        let ranges = ["203.0.113.0/24", "2001:DB8:1234:5678::/64"];
        assert!(!eval("NotIpAddress", &ranges, Some(s("203.0.113.10"))));
        assert!(!eval(
            "NotIpAddress",
            &ranges,
            Some(s("2001:db8:1234:5678::10"))
        ));
        assert!(eval("NotIpAddress", &ranges, Some(s("198.51.100.1"))));
        assert!(eval("NotIpAddress", &ranges, None));
        assert!(eval("NotIpAddressIfExists", &ranges, None));
    }

    #[test]
    fn a_request_value_that_is_no_address_matches_no_range() {
        assert!(!eval("IpAddress", &["0.0.0.0/0"], Some(s("vpce-1a2b3c4d"))));
        assert!(!eval(
            "IpAddress",
            &["0.0.0.0/0"],
            Some(s("203.0.113.0/24"))
        ));
        assert!(!eval(
            "NotIpAddress",
            &["203.0.113.0/24"],
            Some(s("not-an-ip"))
        ));
        assert!(!eval(
            "NotIpAddress",
            &["203.0.113.0/24"],
            Some(ContextValue::Bool(true))
        ));
    }

    #[test]
    fn bad_ranges_are_explained() {
        let cases = [
            ("203.0.113.0/33", "from 0 to 32"),
            ("2001:db8::/129", "from 0 to 128"),
            ("10.0.0.1/", "from 0 to 32"),
            ("10.0.0.1/abc", "from 0 to 32"),
            ("10.0.0.1/-1", "from 0 to 32"),
            (
                "203.0.113/24",
                "\"203.0.113\" is not an IPv4 or IPv6 address",
            ),
            ("256.0.0.1", "is not an IPv4 or IPv6 address"),
            ("", "is not an IPv4 or IPv6 address"),
            ("*", "is not an IPv4 or IPv6 address"),
        ];
        for (value, reason) in cases {
            let e = check_err("NotIpAddress", value);
            assert!(
                e.starts_with("NotIpAddress takes an IP address or CIDR range"),
                "{e}"
            );
            assert!(e.contains(reason), "{value}: {e}");
        }
        assert_eq!(
            check_value(&op("IpAddress"), "2001:DB8:1234:5678::/64"),
            Ok(())
        );
        assert_eq!(check_value(&op("IpAddress"), "203.0.113.0/24"), Ok(()));
    }
}
