"""Which address is the reader's: the peer, or X-Forwarded-For through our own proxies."""

from __future__ import annotations

from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, SimpleTestCase, override_settings

from vestnik.core.client_address import check_trusted_proxies, client_ip


def address(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@override_settings(VESTNIK_CORE_TRUSTED_PROXIES=["127.0.0.1", "::1"])
class ClientAddressTests(SimpleTestCase):
    def test_the_right_most_address_our_proxy_appended_is_the_client(self) -> None:
        self.assertEqual(address("127.0.0.1", "203.0.113.5"), "203.0.113.5")

    def test_addresses_the_client_wrote_are_ignored(self) -> None:
        # nginx appends the real peer; whatever the client sent stands to its left.
        self.assertEqual(address("127.0.0.1", "198.51.100.7, 203.0.113.5"), "203.0.113.5")
        self.assertEqual(address("127.0.0.1", "garbage, 203.0.113.5"), "203.0.113.5")

    def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(self) -> None:
        self.assertEqual(address("192.0.2.50", "203.0.113.5"), "192.0.2.50")
        self.assertEqual(address("192.0.2.50", "127.0.0.1"), "192.0.2.50")

    def test_a_trusted_peer_without_the_header_is_the_client(self) -> None:
        self.assertEqual(address("127.0.0.1"), "127.0.0.1")
        # Only our own proxies in the chain: the request came from the proxy host itself.
        self.assertEqual(address("127.0.0.1", "127.0.0.1"), "127.0.0.1")

    def test_garbage_our_proxy_passed_on_counts_as_the_proxy(self) -> None:
        self.assertEqual(address("127.0.0.1", "203.0.113.5, unknown"), "127.0.0.1")

    def test_ipv6_peers_and_clients(self) -> None:
        self.assertEqual(address("::1", "2001:db8::7"), "2001:db8::7")
        self.assertEqual(address("::1", " 2001:db8::8 , 2001:db8::7 "), "2001:db8::7")
        self.assertEqual(address("2001:db8::9", "203.0.113.5"), "2001:db8::9")

    def test_an_ipv4_mapped_peer_is_its_ipv4_address(self) -> None:
        # A server listening on [::] reports IPv4 peers this way.
        self.assertEqual(address("::ffff:127.0.0.1", "203.0.113.5"), "203.0.113.5")

    @override_settings(VESTNIK_CORE_TRUSTED_PROXIES=["10.0.0.0/8", "fd00::/8"])
    def test_networks_skip_every_proxy_of_ours_in_the_chain(self) -> None:
        # A load balancer (10.0.0.2) in front of nginx (10.0.0.11).
        self.assertEqual(address("10.0.0.11", "1.2.3.4, 203.0.113.5, 10.0.0.2"), "203.0.113.5")
        self.assertEqual(address("fd00::11", "2001:db8::7, fd00::2"), "2001:db8::7")
        self.assertEqual(address("10.1.2.3", "203.0.113.5"), "203.0.113.5")
        self.assertEqual(address("11.0.0.1", "203.0.113.5"), "11.0.0.1")

    @override_settings(VESTNIK_CORE_TRUSTED_PROXIES=[])
    def test_without_trusted_proxies_the_peer_is_the_client(self) -> None:
        self.assertEqual(address("127.0.0.1", "203.0.113.5"), "127.0.0.1")

    @override_settings(VESTNIK_CORE_TRUSTED_PROXIES=["127.0.0.1", "nginx.local"])
    def test_a_bad_entry_is_named_by_the_check_and_at_use(self) -> None:
        messages = check_trusted_proxies()
        self.assertEqual([type(message) for message in messages], [Error])
        self.assertIn("'nginx.local'", messages[0].msg)
        self.assertIn("VESTNIK_TRUSTED_PROXIES", messages[0].msg)
        with self.assertRaisesMessage(ImproperlyConfigured, "'nginx.local'"):
            address("127.0.0.1", "203.0.113.5")

    def test_the_shipped_settings_pass_the_check(self) -> None:
        self.assertEqual(check_trusted_proxies(), [])
