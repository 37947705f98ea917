using System.Text.Json.Serialization;

namespace WsPool.KubeEmulator.Tests;

/// <summary>A small CRD shaped like wspool's (status and scale subresources) and a typed model for its objects.</summary>
internal static class Crds
{
    public static V1CustomResourceDefinition WebSocketPools() => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta { Name = "websocketpools.wspool.dev" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "wspool.dev",
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames
            {
                Plural = "websocketpools", Singular = "websocketpool", Kind = "WebSocketPool", ShortNames = ["wsp"], ListKind = "WebSocketPoolList",
            },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1alpha1", Served = true, Storage = true,
                    Subresources = new V1CustomResourceSubresources
                    {
                        Status = new object(),
                        Scale = new V1CustomResourceSubresourceScale
                        {
                            SpecReplicasPath = ".spec.replicas", StatusReplicasPath = ".status.replicas", LabelSelectorPath = ".status.selector",
                        },
                    },
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new()
                                {
                                    Type = "object",
                                    Properties = new Dictionary<string, V1JSONSchemaProps>
                                    {
                                        ["replicas"] = new() { Type = "integer" },
                                        ["image"] = new() { Type = "string" },
                                        ["tags"] = new() { Type = "array", Items = new V1JSONSchemaProps { Type = "string" } },
                                        ["ports"] = new()
                                        {
                                            Type = "array",
                                            XKubernetesListType = "map",
                                            XKubernetesListMapKeys = ["name"],
                                            Items = new V1JSONSchemaProps
                                            {
                                                Type = "object",
                                                // a list-map key must be required (or defaulted), or the API server refuses the CRD
                                                Required = ["name"],
                                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                                {
                                                    ["name"] = new() { Type = "string" }, ["port"] = new() { Type = "integer" },
                                                },
                                            },
                                        },
                                    },
                                },
                                ["status"] = new() { Type = "object", XKubernetesPreserveUnknownFields = true },
                            },
                        },
                    },
                },
            ],
        },
    };

    [KubernetesEntity(Group = "wspool.dev", ApiVersion = "v1alpha1", Kind = "WebSocketPool", PluralName = "websocketpools")]
    public sealed class Pool : IKubernetesObject<V1ObjectMeta>
    {
        [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "wspool.dev/v1alpha1";
        [JsonPropertyName("kind")] public string Kind { get; set; } = "WebSocketPool";
        [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
        [JsonPropertyName("spec")] public PoolSpec Spec { get; set; } = new();
        [JsonPropertyName("status")] public PoolStatus? Status { get; set; }

        public static Pool Named(string name, int replicas = 1, string image = "chat:1") =>
            new() { Metadata = new V1ObjectMeta { Name = name }, Spec = new PoolSpec { Replicas = replicas, Image = image } };
    }

    public sealed class PoolList
    {
        [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
        [JsonPropertyName("items")] public List<Pool> Items { get; set; } = [];
    }

    public sealed class PoolSpec
    {
        [JsonPropertyName("replicas")] public int? Replicas { get; set; }
        [JsonPropertyName("image")] public string? Image { get; set; }
        [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
        [JsonPropertyName("ports")] public List<PoolPort>? Ports { get; set; }
    }

    public sealed class PoolPort
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("port")] public int? Port { get; set; }
    }

    public sealed class PoolStatus
    {
        [JsonPropertyName("replicas")] public int? Replicas { get; set; }
        [JsonPropertyName("selector")] public string? Selector { get; set; }
        [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    }
}
