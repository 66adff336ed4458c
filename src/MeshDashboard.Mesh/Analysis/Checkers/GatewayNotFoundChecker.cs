using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD004: a VirtualService binds to a Gateway (<c>name</c> or <c>namespace/name</c>) that does not exist; the reserved
/// name <c>mesh</c> (sidecars) is never reported. Kiali's counterpart: <c>virtualservices/no_gateway_checker.go</c>.
/// </summary>
internal sealed class GatewayNotFoundChecker : IChecker
{
    public string Code => FindingCodes.GatewayNotFound;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var vs in index.VirtualServices)
        {
            for (var g = 0; g < vs.Gateways.Length; g++)
            {
                var gateway = vs.Gateways[g];
                if (gateway != "mesh" && index.Gateway(gateway, vs.Namespace) is null)
                {
                    yield return new Finding(Code, FindingSeverity.Error,
                        $"{vs.Name}: gateway \"{gateway}\" does not exist, so these rules apply nowhere through it.", vs.Source.Ref, $"spec.gateways[{g}]");
                }
            }
        }
    }
}
