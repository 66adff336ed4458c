using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD012: a Gateway without servers, or a server without <c>port.number</c> or <c>hosts</c> (both required). Catches the
/// blog example's shape (hosts beside servers, a capitalised <c>Port</c>).
/// </summary>
internal sealed class GatewayServerIncompleteChecker : IChecker
{
    public string Code => FindingCodes.GatewayServerIncomplete;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var gateway in index.Gateways)
        {
            var servers = gateway.Source.Spec.Arr("servers");
            if (servers is null || servers.Count == 0)
            {
                yield return new Finding(Code, FindingSeverity.Error, $"{gateway.Name}: the Gateway has no servers, so it accepts no traffic.", gateway.Source.Ref, "spec.servers");
                continue;
            }
            for (var i = 0; i < servers.Count; i++)
            {
                if (servers[i].Obj("port").Int("number") is null)
                {
                    yield return new Finding(Code, FindingSeverity.Error,
                        $"{gateway.Name}: server {i + 1} has no port (port.number is required).", gateway.Source.Ref, $"spec.servers[{i}].port");
                }
                if (servers[i].Strings("hosts").Count == 0)
                {
                    yield return new Finding(Code, FindingSeverity.Error,
                        $"{gateway.Name}: server {i + 1} has no hosts (hosts is required).", gateway.Source.Ref, $"spec.servers[{i}].hosts");
                }
            }
        }
    }
}
