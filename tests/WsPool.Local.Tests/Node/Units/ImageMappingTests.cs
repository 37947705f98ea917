using k8s.Models;
using WsPool.Local.Node;

namespace WsPool.Local.Tests.Node.Units;

public sealed class ImageMappingTests
{
    [Theory]
    [InlineData("ghcr.io/acme/ticker:*", "ghcr.io/acme/ticker:2.3.1", true)]
    [InlineData("ghcr.io/acme/ticker:*", "ghcr.io/acme/ticker-v2:1", false)]
    [InlineData("ghcr.io/acme/ticker", "ghcr.io/acme/ticker:2.3.1", true)]
    [InlineData("ghcr.io/acme/ticker", "ghcr.io/acme/ticker@sha256:abc", true)]
    [InlineData("ghcr.io/acme/ticker:2.3.1", "ghcr.io/acme/ticker:2.3.2", false)]
    [InlineData("registry:5000/app", "registry:5000/app:1", true)]
    [InlineData("docker.io/library/nginx:*", "nginx:1.30", true)]
    [InlineData("nginx", "docker.io/library/nginx:1.30", true)]
    public void An_image_pattern_matches_by_glob_by_repository_or_exactly(string pattern, string image, bool matches) =>
        ImageMapping.Parse($"{pattern}=run").Matches(image).Should().Be(matches);

    [Fact]
    public void The_command_is_split_like_a_shell_and_gets_the_pod_address_and_port()
    {
        var mapping = ImageMapping.Parse("img=sh -c 'echo \"$POD_IP\" ${PORT}' --listen $POD_IP:$PORT a\\ b");

        mapping.CommandFor("127.0.0.7", 9000).Should().Equal("sh", "-c", "echo \"127.0.0.7\" 9000", "--listen", "127.0.0.7:9000", "a b");
    }

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("=command")]
    [InlineData("image=")]
    [InlineData("image=sh -c 'unterminated")]
    public void A_malformed_mapping_is_refused_with_the_entry_named(string text) =>
        FluentActions.Invoking(() => ImageMapping.Parse(text)).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData("ghcr.io/wspool/chat-server:0.1.0", ContainerKind.ChatServer)]
    [InlineData("haproxy:3.2", ContainerKind.HAProxy)]
    [InlineData("nginx:1.30.0", ContainerKind.Nginx)]
    [InlineData("docker.io/library/redis:7.2", ContainerKind.Redis)]
    public void The_images_the_operator_renders_are_built_in(string image, ContainerKind kind) =>
        new ImageCommands(new LocalNodeOptions()).KindOf(new V1Container { Name = "c", Image = image }).Should().Be(kind);

    [Fact]
    public void A_mapping_wins_over_a_built_in_image_and_an_unknown_image_has_no_kind()
    {
        var images = new ImageCommands(new LocalNodeOptions { Run = ["haproxy:*=my-haproxy"] });

        images.KindOf(new V1Container { Name = "c", Image = "haproxy:3.2" }).Should().Be(ContainerKind.Mapped);
        images.KindOf(new V1Container { Name = "c", Image = "ghcr.io/example/ticker:2.3.1" }).Should().BeNull();
    }

    [Fact]
    public void A_shell_script_sidecar_in_the_balancer_image_is_the_reloader_the_node_replaces()
    {
        var reloader = new V1Container { Name = "reloader", Image = "nginx:1.30.0", Command = ["sh", "/etc/wspool/nginx/reload.sh"] };

        new ImageCommands(new LocalNodeOptions()).KindOf(reloader).Should().Be(ContainerKind.NodeReloader);
    }
}
