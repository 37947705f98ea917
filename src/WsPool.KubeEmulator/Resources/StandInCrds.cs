namespace WsPool.KubeEmulator.Resources;

/// <summary>
/// CRDs of APIs a cluster may lack, for tests that start the emulator without one
/// (<see cref="EmulatorOptions.OmitResources"/>) and install it mid-test: the emulator serves what a created CRD
/// declares, as the API server does.
/// </summary>
public static class StandInCrds
{
    /// <summary>The name <see cref="EmulatorOptions.OmitResources"/> takes to start without Gateway API HTTPRoutes.</summary>
    public const string HttpRoutesName = "httproutes.gateway.networking.k8s.io";

    /// <summary>
    /// Gateway API's HTTPRoute (gateway.networking.k8s.io/v1) with the standard channel's names, scope and status
    /// subresource, and a schema that keeps every field (the real one runs to thousands of lines).
    /// </summary>
    public const string HttpRoutesYaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: httproutes.gateway.networking.k8s.io
        spec:
          group: gateway.networking.k8s.io
          scope: Namespaced
          names:
            plural: httproutes
            singular: httproute
            kind: HTTPRoute
            listKind: HTTPRouteList
            categories: [gateway-api]
          versions:
            - name: v1
              served: true
              storage: true
              subresources:
                status: {}
              schema:
                openAPIV3Schema:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
        """;
}
