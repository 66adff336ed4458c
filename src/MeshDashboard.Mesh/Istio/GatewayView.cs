using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Istio;

/// <summary>A typed, read-only view of a Gateway: the workload selector and its servers.</summary>
public sealed record GatewayView(KubeObject Source, IReadOnlyDictionary<string, string> Selector, ImmutableArray<GatewayServerView> Servers)
{
    public string Namespace => Source.Namespace;

    public string Name => Source.Name;

    public static GatewayView From(KubeObject gateway)
    {
        var spec = gateway.Spec;
        return new GatewayView(gateway, spec?["selector"].ToStringMap() ?? new Dictionary<string, string>(),
            [.. (spec.Arr("servers") ?? []).OfType<JsonObject>().Select(GatewayServerView.From)]);
    }
}

public sealed record GatewayServerView(long? PortNumber, string? PortName, string? Protocol, ImmutableArray<string> Hosts, string? TlsMode, string? CredentialName)
{
    public static GatewayServerView From(JsonObject server)
    {
        var port = server.Obj("port");
        var tls = server.Obj("tls");
        return new GatewayServerView(port.Int("number"), port.Str("name"), port.Str("protocol"), [.. server.Strings("hosts")], tls.Str("mode"), tls.Str("credentialName"));
    }
}
