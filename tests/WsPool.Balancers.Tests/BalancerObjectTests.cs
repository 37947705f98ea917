using System.Text;
using k8s.Models;
using WsPool.Balancers.Tests.Support;
using WsPool.Core.Api;
using WsPool.Core.Balancers;
using WsPool.Core.Rendering;

namespace WsPool.Balancers.Tests;

/// <summary>The Kubernetes objects of the managed balancers.</summary>
public class BalancerObjectTests
{
    private static BalancerOutput Render(Action<WebSocketPoolSpec>? configure = null, RenderOptions? options = null) =>
        BalancerKinds.Render(Repo.Pool(configure), options ?? new RenderOptions());

    [Fact]
    public void HAProxy_runs_master_worker_from_flags_with_its_config_mounted_from_the_config_map()
    {
        var output = Render();
        var deployment = output.Objects.OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();
        container.Command.Should().Equal("haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg");
        container.Image.Should().Be("haproxy:3.2");
        var configMap = output.Objects.OfType<V1ConfigMap>().Single();
        configMap.Data["haproxy.cfg"].Should().Be(output.ConfigFiles["haproxy.cfg"]);
        deployment.Spec.Template.Spec.Volumes.Should().Contain(v => v.ConfigMap != null && v.ConfigMap.Name == configMap.Metadata.Name);
    }

    [Fact]
    public void The_config_checksum_changes_only_when_the_config_changes()
    {
        static string Checksum(BalancerOutput o) =>
            o.Objects.OfType<V1Deployment>().Single().Spec.Template.Metadata.Annotations["wspool.dev/config-checksum"];
        Checksum(Render(s => s.Replicas = 2)).Should().Be(Checksum(Render(s => s.Replicas = 5)));
        Checksum(Render()).Should().NotBe(Checksum(Render(s => s.Timeouts.Tunnel = "2h")));
    }

    [Fact]
    public void The_pod_runs_restricted_non_root_read_only_with_no_capabilities_and_has_probes()
    {
        var pod = Render().Objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        var container = pod.Containers.Single();
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        container.ReadinessProbe.HttpGet.Path.Should().Be("/healthz");
        container.LivenessProbe.Should().NotBeNull();
    }

    [Theory]
    [InlineData(BalancerServiceType.LoadBalancer)]
    [InlineData(BalancerServiceType.NodePort)]
    [InlineData(BalancerServiceType.ClusterIP)]
    public void The_service_has_the_spec_type(BalancerServiceType type)
    {
        var service = Render(s => s.Balancer.ServiceType = type).Objects.OfType<V1Service>().Single();
        service.Spec.Type.Should().Be(type.ToString());
        service.Spec.Ports.Single().Port.Should().Be(80);
    }

    [Fact]
    public void Cookie_affinity_renders_a_key_secret_without_data_for_the_operator_to_fill_once()
    {
        var output = Render(s => s.Affinity.Type = AffinityType.Cookie);
        var secret = output.Objects.OfType<V1Secret>().Single();
        secret.Metadata.Name.Should().Be("chat-cookie-key");
        secret.Data.Should().BeNull();
        secret.Metadata.Annotations["wspool.dev/generate-keys"].Should().Be("key");
        var env = output.Objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single().Env.Single();
        env.Name.Should().Be(HAProxyConfigBuilder.CookieKeyVariable);
        env.ValueFrom.SecretKeyRef.Name.Should().Be("chat-cookie-key");
    }

    [Fact]
    public void A_known_cookie_key_goes_into_the_secret_and_never_into_the_config()
    {
        var output = Render(s => s.Affinity.Type = AffinityType.Cookie,
            new RenderOptions { GeneratedValues = new Dictionary<GeneratedValue, string> { [new("chat-cookie-key", "key")] = "s3cr3t-value" } });
        Encoding.UTF8.GetString(output.Objects.OfType<V1Secret>().Single().Data["key"]).Should().Be("s3cr3t-value");
        output.ConfigFiles["haproxy.cfg"].Should().NotContain("s3cr3t-value");
        output.Objects.OfType<V1Secret>().Single().Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public void Without_cookie_affinity_there_is_no_key_secret()
    {
        Render().Objects.OfType<V1Secret>().Should().BeEmpty();
    }

    [Fact]
    public void TLS_mounts_the_secret_and_exposes_443()
    {
        var output = Render(s => s.Balancer.Tls = new TlsSpec { SecretName = "chat-tls" });
        output.Objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Volumes
            .Should().Contain(v => v.Secret != null && v.Secret.SecretName == "chat-tls");
        output.Objects.OfType<V1Service>().Single().Spec.Ports.Single().Port.Should().Be(443);
    }

    [Fact]
    public void NGINX_runs_in_the_foreground_with_its_mounted_config()
    {
        var container = Render(s => s.Balancer.Type = BalancerType.Nginx).Objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers
            .Single(c => c.Name == "nginx");
        container.Command.Should().Equal("nginx", "-e", "stderr", "-c", "/etc/wspool/nginx/nginx.conf", "-g", "daemon off;");
        container.Image.Should().Be("nginx:1.30");
    }

    private static string Checksum(BalancerOutput o) =>
        o.Objects.OfType<V1Deployment>().Single().Spec.Template.Metadata.Annotations["wspool.dev/config-checksum"];

    private static void Nginx(WebSocketPoolSpec s) => s.Balancer.Type = BalancerType.Nginx;

    [Fact]
    public void NGINX_upstream_changes_rewrite_the_config_map_but_leave_the_pod_template_alone()
    {
        var two = Render(Nginx, new RenderOptions { Backends = ["10.0.0.1:8080", "10.0.0.2:8080"] });
        var three = Render(Nginx, new RenderOptions { Backends = ["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"] });
        var none = Render(Nginx, new RenderOptions { Backends = [] });

        two.Objects.OfType<V1ConfigMap>().Single().Data["nginx.conf"].Should().NotBe(three.Objects.OfType<V1ConfigMap>().Single().Data["nginx.conf"]);
        var template = KubernetesJson(two.Objects.OfType<V1Deployment>().Single().Spec.Template);
        KubernetesJson(three.Objects.OfType<V1Deployment>().Single().Spec.Template).Should().Be(template, "scaling reloads NGINX, it does not roll it");
        KubernetesJson(none.Objects.OfType<V1Deployment>().Single().Spec.Template).Should().Be(template);
    }

    [Fact]
    public void An_NGINX_spec_change_still_rolls_the_pods()
    {
        var options = new RenderOptions { Backends = ["10.0.0.1:8080"] };
        Checksum(Render(Nginx, options)).Should().NotBe(Checksum(Render(s => { Nginx(s); s.Timeouts.Tunnel = "2h"; }, options)));
    }

    [Fact]
    public void The_NGINX_config_map_carries_the_reload_script_next_to_nginx_conf()
    {
        var output = Render(Nginx, new RenderOptions { Backends = ["10.0.0.1:8080"] });
        var data = output.Objects.OfType<V1ConfigMap>().Single().Data;
        data.Keys.Should().BeEquivalentTo(["nginx.conf", "reload.sh"]);
        data["nginx.conf"].Should().Be(output.ConfigFiles["nginx.conf"]).And.Contain("server 10.0.0.1:8080");
        data["reload.sh"].Should().Be(NginxReloader.Script).And.StartWith("#!/bin/sh\n");
    }

    [Fact]
    public void The_NGINX_reloader_sidecar_runs_the_script_with_the_nginx_image_restricted_and_shares_the_process_namespace()
    {
        var pod = Render(s => { Nginx(s); s.Balancer.Image = "nginx:1.29.7-alpine"; }).Objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var nginx = pod.Containers.Single(c => c.Name == "nginx");
        var reloader = pod.Containers.Single(c => c.Name == "reloader");

        pod.ShareProcessNamespace.Should().BeTrue("the reloader signals the NGINX master in the other container");
        reloader.Image.Should().Be("nginx:1.29.7-alpine");
        reloader.Command.Should().Equal("sh", "/etc/wspool/nginx/reload.sh");
        reloader.VolumeMounts.Select(m => (m.Name, m.MountPath)).Should().BeEquivalentTo(nginx.VolumeMounts.Select(m => (m.Name, m.MountPath)),
            "nginx -t needs everything the config names, and the pid file lives in the shared run volume");
        reloader.Resources.Requests.Should().ContainKeys("cpu", "memory");
        reloader.SecurityContext.RunAsNonRoot.Should().BeTrue();
        reloader.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        reloader.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        reloader.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
    }

    [Fact]
    public void HAProxy_has_no_reloader_and_keeps_its_own_process_namespace()
    {
        var pod = Render().Objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        pod.Containers.Should().ContainSingle();
        pod.ShareProcessNamespace.Should().BeNull();
    }

    private static string KubernetesJson(object o) => k8s.KubernetesJson.Serialize(o);
}
