using System.Net;
using WsPool.Local.Dns;

namespace WsPool.Local.Tests.Dns;

public sealed class ServiceRecordsTests
{
    private const string Fqdn = "web.shop.svc.cluster.local";

    private static IEnumerable<string> Addresses(ServiceRecords records, string name) =>
        records.AddressesOf(name).Select(a => a.ToString());

    [Fact]
    public void A_ready_endpoint_is_published_under_the_full_and_the_short_service_name()
    {
        var records = ServiceRecords.From([EndpointSlices.Of("shop", "web", "web-abc", new Endpoint("127.0.0.2"))], "cluster.local");

        Addresses(records, Fqdn).Should().Equal("127.0.0.2");
        Addresses(records, "web.shop.svc").Should().Equal("127.0.0.2");
    }

    [Fact]
    public void Not_ready_and_terminating_endpoints_are_left_out_and_unset_readiness_counts_as_ready()
    {
        var records = ServiceRecords.From([EndpointSlices.Of("shop", "web", "web-abc",
            new Endpoint("127.0.0.2"),
            new Endpoint("127.0.0.3", Ready: false),
            new Endpoint("127.0.0.4", Ready: true, Terminating: true),
            new Endpoint("127.0.0.5", Ready: null))], "cluster.local");

        Addresses(records, Fqdn).Should().Equal("127.0.0.2", "127.0.0.5");
    }

    [Fact]
    public void A_service_with_no_ready_endpoint_has_no_name()
    {
        var records = ServiceRecords.From([EndpointSlices.Of("shop", "web", "web-abc", new Endpoint("127.0.0.3", Ready: false))], "cluster.local");

        records.ByName.Should().BeEmpty();
    }

    [Fact]
    public void The_slices_of_one_service_are_merged_sorted_numerically_and_without_duplicates()
    {
        var records = ServiceRecords.From(
        [
            EndpointSlices.Of("shop", "web", "web-a", new Endpoint("127.0.0.10"), new Endpoint("127.0.0.2")),
            EndpointSlices.Of("shop", "web", "web-b", new Endpoint("127.0.0.9"), new Endpoint("127.0.0.2")),
            EndpointSlices.Of("other", "web", "web-c", new Endpoint("127.0.0.50")),
        ], "cluster.local");

        Addresses(records, Fqdn).Should().Equal("127.0.0.2", "127.0.0.9", "127.0.0.10");
        Addresses(records, "web.other.svc.cluster.local").Should().Equal("127.0.0.50");
    }

    [Fact]
    public void An_endpoint_with_a_hostname_also_gets_its_own_name_under_the_service()
    {
        var records = ServiceRecords.From([EndpointSlices.Of("shop", "web", "web-abc", new Endpoint("127.0.0.2", Hostname: "web-0"))],
            "cluster.local");

        Addresses(records, "web-0.web.shop.svc.cluster.local").Should().Equal("127.0.0.2");
    }

    [Fact]
    public void IPv6_slices_publish_their_addresses_and_FQDN_slices_publish_none()
    {
        var records = ServiceRecords.From(
        [
            EndpointSlices.Of("shop", "web", "web-v6", "IPv6", new Endpoint("::1")),
            EndpointSlices.Of("shop", "ext", "ext-fqdn", "FQDN", new Endpoint("example.com")),
        ], "cluster.local");

        records.AddressesOf(Fqdn).Should().Equal(IPAddress.IPv6Loopback);
        records.AddressesOf("ext.shop.svc.cluster.local").Should().BeEmpty();
    }

    [Fact]
    public void A_slice_without_its_service_label_or_with_names_or_addresses_that_are_not_DNS_safe_is_left_out()
    {
        var unlabelled = EndpointSlices.Of("shop", "web", "web-x", new Endpoint("127.0.0.2"));
        unlabelled.Metadata.Labels.Remove(ServiceRecords.ServiceNameLabel);

        var records = ServiceRecords.From(
        [
            unlabelled,
            EndpointSlices.Of("shop", "Web_Bad", "bad-name", new Endpoint("127.0.0.3")),
            EndpointSlices.Of("shop", "web\n127.0.0.9 evil", "injected", new Endpoint("127.0.0.4")),
            EndpointSlices.Of("shop", "api", "bad-address", new Endpoint("127.0.0.5 evil.example")),
            EndpointSlices.Of("shop", "api", "v6-in-v4-slice", new Endpoint("::1")),
        ], "cluster.local");

        records.ByName.Should().BeEmpty();
        records.ToHostsFile().Should().NotContain("evil");
    }

    [Fact]
    public void The_hosts_file_has_one_line_per_address_and_name_in_a_stable_order()
    {
        var slice = EndpointSlices.Of("shop", "web", "web-abc", new Endpoint("127.0.0.3"), new Endpoint("127.0.0.2"));

        var text = ServiceRecords.From([slice], "cluster.local").ToHostsFile();

        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Should().Equal(
            "127.0.0.2 web.shop.svc",
            "127.0.0.3 web.shop.svc",
            "127.0.0.2 web.shop.svc.cluster.local",
            "127.0.0.3 web.shop.svc.cluster.local");
        ServiceRecords.From([slice], "cluster.local").ToHostsFile().Should().Be(text);
    }

    [Fact]
    public void The_cluster_domain_is_the_kubelet_s_and_must_be_a_DNS_name()
    {
        var records = ServiceRecords.From([EndpointSlices.Of("shop", "web", "web-abc", new Endpoint("127.0.0.2"))], "example.internal");

        Addresses(records, "web.shop.svc.example.internal").Should().Equal("127.0.0.2");
        var act = () => ServiceRecords.From([], "bad domain\n");
        act.Should().Throw<ArgumentException>().WithMessage("*not a DNS domain*");
    }
}
