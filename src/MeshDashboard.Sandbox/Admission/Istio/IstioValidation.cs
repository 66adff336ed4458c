using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// istiod's validating webhook (validation.istio.io) for the networking kinds: the semantic checks it runs after the
/// API server's schema, with its verdicts: errors refuse the object, warnings come back with an accepted one. One file
/// per kind follows istio/istio pkg/config/validation; tests/MeshDashboard.Sandbox.Tests/Admission holds the corpus of
/// istiod's own test cases these checks are measured against.
/// </summary>
internal static class IstioValidation
{
    public static IstioVerdict Validate(ResourceType type, JsonObject candidate) => Validate(type.Kind, candidate);

    public static IstioVerdict Validate(string kind, JsonObject candidate)
    {
        var findings = new IstioFindings();
        var spec = candidate["spec"] as JsonObject ?? [];
        var metadata = candidate["metadata"] as JsonObject;
        var name = IstioFindings.Text(metadata?["name"]) ?? "";
        var ns = IstioFindings.Text(metadata?["namespace"]) ?? "";
        switch (kind)
        {
            case "VirtualService":
                VirtualServiceValidation.Validate(spec, ns, findings);
                break;
            case "DestinationRule":
                DestinationRuleValidation.Validate(spec, ns, findings);
                break;
            case "Gateway":
                GatewayValidation.Validate(name, spec, findings);
                break;
        }
        return findings.ToVerdict();
    }
}
