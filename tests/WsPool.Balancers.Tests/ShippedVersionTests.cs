using System.Globalization;
using System.Text.RegularExpressions;
using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using Xunit.Abstractions;

namespace WsPool.Balancers.Tests;

/// <summary>
/// The HAProxy and NGINX these tests run are the branches the operator ships: their major.minor equals the default
/// images' (<see cref="HAProxyBalancer.DefaultImage"/>, <see cref="NginxVersion.DefaultImage"/>). When one side moves
/// (a new default image, or <c>make deps</c> picking up a newer Debian package) this fails until the other follows,
/// so every real-tool check in this project keeps speaking for the configs users run. The exact versions go to the
/// test log.
/// </summary>
public partial class ShippedVersionTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"^HAProxy version (\d+)\.(\d+)\.(\d+)", RegexOptions.Multiline)]
    private static partial Regex HAProxyBanner();

    [GeneratedRegex(@"^nginx version: nginx/(\d+)\.(\d+)\.(\d+)", RegexOptions.Multiline)]
    private static partial Regex NginxBanner();

    [GeneratedRegex(@":(\d+)\.(\d+)(?:[.-][^:/@]*)?(?:@.*)?$")]
    private static partial Regex ImageTag();

    /// <summary>The version <c>haproxy -v</c> prints, or null when the output has none.</summary>
    public static Version? HAProxyVersion(string versionOutput) => Read(HAProxyBanner().Match(versionOutput));

    /// <summary>The version <c>nginx -v</c> prints (to stderr), or null when the output has none.</summary>
    public static Version? NginxVersionOf(string versionOutput) => Read(NginxBanner().Match(versionOutput));

    /// <summary>major.minor of an image tag (haproxy:3.2 → 3.2, nginx:1.30.0-alpine → 1.30), or null when it has none.</summary>
    public static Version? ImageBranch(string image)
    {
        var match = ImageTag().Match(image);
        return match.Success ? new Version(Number(match.Groups[1]), Number(match.Groups[2])) : null;
    }

    private static Version? Read(Match match) =>
        match.Success ? new Version(Number(match.Groups[1]), Number(match.Groups[2]), Number(match.Groups[3])) : null;

    private static int Number(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    private static Version Branch(Version version) => new(version.Major, version.Minor);

    [Fact]
    public void The_tested_HAProxy_is_the_branch_of_the_default_image()
    {
        var run = RealTool.Run(Checkers.HAProxy, ["-v"]);
        run.ExitCode.Should().Be(0, run.Output);
        var tested = HAProxyVersion(run.Output);
        tested.Should().NotBeNull($"haproxy -v printed no version:\n{run.Output}");
        var shipped = ImageBranch(HAProxyBalancer.DefaultImage);
        shipped.Should().NotBeNull($"the default image {HAProxyBalancer.DefaultImage} must name major.minor in its tag");

        output.WriteLine($"tested: HAProxy {tested} ({Checkers.HAProxy}); shipped: {HAProxyBalancer.DefaultImage}");
        Branch(tested!).Should().Be(shipped,
            $"the tests run HAProxy {tested} but the operator ships {HAProxyBalancer.DefaultImage}: move the default image " +
            "or tests/deps/provision so they name the same major.minor");
    }

    [Fact]
    public void The_tested_NGINX_is_the_branch_of_the_default_image_and_has_what_the_default_image_is_assumed_to_have()
    {
        var run = RealTool.Run(Checkers.Nginx, ["-v"]);
        run.ExitCode.Should().Be(0, run.Output);
        var tested = NginxVersionOf(run.Output);
        tested.Should().NotBeNull($"nginx -v printed no version:\n{run.Output}");
        // What the operator assumes the default image runs (it decides whether sticky cookie may be rendered).
        var assumed = NginxVersion.Effective(new BalancerSpec { Type = BalancerType.Nginx });
        assumed.Should().NotBeNull($"the version of the default image {NginxVersion.DefaultImage} must be readable from its tag");

        output.WriteLine($"tested: NGINX {tested} ({Checkers.Nginx}); shipped: {NginxVersion.DefaultImage}, read as {assumed}");
        Branch(tested!).Should().Be(Branch(assumed!),
            $"the tests run NGINX {tested} but the operator ships {NginxVersion.DefaultImage}: move the default image " +
            "or tests/deps/provision so they name the same major.minor");
        tested.Should().BeGreaterThanOrEqualTo(assumed!, "the tested NGINX must have every feature the default image is assumed to have");
    }

    [Theory]
    // haproxy -v of Debian 12 and Debian sid, nginx -v of the same.
    [InlineData("HAProxy version 2.6.12-1+deb12u1 2023/12/16 - https://haproxy.org/\nStatus: long-term supported branch", "2.6.12")]
    [InlineData("HAProxy version 3.2.26-1 2026/10/14 - https://haproxy.org/\nStatus: long-term supported branch", "3.2.26")]
    public void The_haproxy_banner_is_read(string banner, string expected) =>
        HAProxyVersion(banner).Should().Be(Version.Parse(expected));

    [Theory]
    [InlineData("nginx version: nginx/1.22.1\n", "1.22.1")]
    [InlineData("nginx version: nginx/1.30.6\n", "1.30.6")]
    public void The_nginx_banner_is_read(string banner, string expected) =>
        NginxVersionOf(banner).Should().Be(Version.Parse(expected));

    [Theory]
    [InlineData("haproxy:3.2", "3.2")]
    [InlineData("haproxy:2.8.14-alpine", "2.8")]
    [InlineData("nginx:1.30", "1.30")]
    [InlineData("registry.example.com:5000/nginx:1.29.6@sha256:0000000000000000000000000000000000000000000000000000000000000000", "1.29")]
    [InlineData("haproxy:lts", null)]
    [InlineData("registry.example.com:5000/haproxy", null)]
    public void The_branch_of_an_image_tag_is_read(string image, string? expected) =>
        ImageBranch(image).Should().Be(expected is null ? null : Version.Parse(expected));
}
