using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WsPool.Core.Balancers;

namespace WsPool.Operator.Kubernetes;

/// <summary>
/// Tells which of a pool's <see cref="ClusterPrerequisite"/>s the cluster lacks. An API resource is looked up through
/// discovery (<c>GET /apis/{group}/{version}</c>: a 404, or a list without the resource, means not served), as
/// controller-runtime's REST mapper does before it answers "no matches for kind"; an IngressClass with a GET.
/// <para>
/// Found prerequisites are remembered for <see cref="PresentFor"/>, so a converged pool's reconcile still sends no
/// request; missing ones are never remembered, so every retry looks again and a CRD installed later is seen at the
/// next attempt. <see cref="Forget"/> drops what is remembered (an apply answered 404: the API may have gone).
/// </para>
/// </summary>
public sealed class ClusterPrerequisiteChecker(IKubernetes client, TimeProvider clock, ILogger<ClusterPrerequisiteChecker> logger)
{
    private readonly ConcurrentDictionary<ClusterPrerequisite, DateTimeOffset> _presentUntil = new();

    /// <summary>How long a prerequisite found present is trusted before it is checked again.</summary>
    public TimeSpan PresentFor { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The prerequisites the cluster does not provide right now, in the order given.</summary>
    public async Task<IReadOnlyList<ClusterPrerequisite>> MissingAsync(IReadOnlyList<ClusterPrerequisite> prerequisites,
        CancellationToken cancellationToken)
    {
        if (prerequisites.Count == 0) return [];
        var missing = new List<ClusterPrerequisite>();
        foreach (var prerequisite in prerequisites)
        {
            if (_presentUntil.TryGetValue(prerequisite, out var until) && clock.GetUtcNow() < until) continue;
            if (await IsPresentAsync(prerequisite, cancellationToken).ConfigureAwait(false))
                _presentUntil[prerequisite] = clock.GetUtcNow() + PresentFor;
            else
                missing.Add(prerequisite);
        }
        return missing;
    }

    /// <summary>Looks again at these prerequisites on the next check.</summary>
    public void Forget(IEnumerable<ClusterPrerequisite> prerequisites)
    {
        foreach (var prerequisite in prerequisites) _presentUntil.TryRemove(prerequisite, out _);
    }

    private Task<bool> IsPresentAsync(ClusterPrerequisite prerequisite, CancellationToken cancellationToken) => prerequisite switch
    {
        ApiResourcePrerequisite api => IsServedAsync(api, cancellationToken),
        IngressClassPrerequisite ingressClass => IngressClassExistsAsync(ingressClass, cancellationToken),
        _ => throw new NotSupportedException($"no check for {prerequisite.GetType().Name}"),
    };

    private async Task<bool> IsServedAsync(ApiResourcePrerequisite api, CancellationToken cancellationToken)
    {
        var resources = await ApiDiscovery.ResourcesAsync(client, api.Group, api.Version, cancellationToken).ConfigureAwait(false);
        return resources?.Resources?.Any(r => r.Name == api.Plural) == true;
    }

    private async Task<bool> IngressClassExistsAsync(IngressClassPrerequisite ingressClass, CancellationToken cancellationToken)
    {
        try
        {
            await client.NetworkingV1.ReadIngressClassAsync(ingressClass.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            // RBAC without `get ingressclasses` (a hand-made Role): the check cannot be made, and a check that cannot
            // be made must not hold the pool back. Trusted as present until it is looked at again.
            logger.LogWarning("Cannot check that IngressClass {Name} exists (403: the operator may not get ingressclasses); assuming it does",
                ingressClass.Name);
            return true;
        }
    }
}

/// <summary>Discovery documents read through the operator's own client: its handlers (user agent, retries, metrics) and credentials.</summary>
public static class ApiDiscovery
{
    /// <summary>GET /apis/{group}/{version}: the resources the server serves there, or null when it serves no such group version.</summary>
    public static async Task<V1APIResourceList?> ResourcesAsync(IKubernetes client, string group, string version,
        CancellationToken cancellationToken)
    {
        // KubernetesClient has typed discovery calls only for built-in groups; a CRD's group needs the raw request.
        var kubernetes = client as k8s.Kubernetes
            ?? throw new NotSupportedException($"discovery needs a k8s.Kubernetes client, not {client.GetType().Name}");
        var uri = new Uri($"{kubernetes.BaseUri.AbsoluteUri.TrimEnd('/')}/apis/{group}/{version}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/json");
        if (kubernetes.Credentials is { } credentials)
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        using var response = await kubernetes.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
            throw new HttpOperationException($"GET {uri.AbsolutePath} answered {(int)response.StatusCode}")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        return KubernetesJson.Deserialize<V1APIResourceList>(body);
    }
}
