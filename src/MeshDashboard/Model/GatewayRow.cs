using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Model;

/// <summary>A server of a Gateway as the gateways page shows it.</summary>
public sealed record GatewayServerRow(string Port, string Protocol, ImmutableArray<string> Hosts, string Tls);

/// <summary>A VirtualService bound to a gateway.</summary>
public sealed record BoundVirtualService(string Namespace, string Name, ImmutableArray<string> Hosts);

/// <summary>One Gateway with its servers and the VirtualServices bound to it. Immutable; rebuilt from each mesh state.</summary>
public sealed record GatewayRow(string Namespace, string Name, string Selector, ImmutableArray<GatewayServerRow> Servers, ImmutableArray<BoundVirtualService> VirtualServices)
{
    public string TestId => $"gateway-{Namespace}-{Name}";

    public static ImmutableArray<GatewayRow> From(MeshSnapshot snapshot)
    {
        var index = MeshIndex.Of(snapshot);
        return
        [
            .. index.Gateways
                .OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal)
                .Select(g => new GatewayRow(
                    g.Namespace,
                    g.Name,
                    string.Join(", ", g.Selector.Select(p => $"{p.Key}={p.Value}")),
                    [
                        .. g.Servers.Select(s => new GatewayServerRow(
                            $"{s.PortNumber}{(s.PortName is null ? "" : $" ({s.PortName})")}",
                            s.Protocol ?? "",
                            s.Hosts,
                            s.TlsMode is null ? "" : s.CredentialName is null ? s.TlsMode : $"{s.TlsMode} · {s.CredentialName}")),
                    ],
                    [
                        .. index.VirtualServices
                            .Where(vs => vs.Gateways.Any(r => index.Gateway(r, vs.Namespace) is { } bound && bound.Namespace == g.Namespace && bound.Name == g.Name))
                            .OrderBy(vs => vs.Namespace, StringComparer.Ordinal).ThenBy(vs => vs.Name, StringComparer.Ordinal)
                            .Select(vs => new BoundVirtualService(vs.Namespace, vs.Name, vs.Hosts)),
                    ])),
        ];
    }
}
