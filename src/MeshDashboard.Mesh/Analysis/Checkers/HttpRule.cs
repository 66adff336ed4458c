using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>One <c>spec.http</c> entry with its VirtualService, its raw JSON (for fields the views do not model) and its path.</summary>
internal sealed record HttpRule(VirtualServiceView Vs, HttpRouteView Rule, JsonObject Raw, string Field)
{
    /// <summary>Every HTTP rule of every VirtualService, in order.</summary>
    public static IEnumerable<HttpRule> All(MeshIndex index)
    {
        foreach (var vs in index.VirtualServices)
        {
            var raw = vs.Source.Spec.Arr("http") ?? [];
            for (var r = 0; r < vs.Http.Length; r++)
            {
                yield return new HttpRule(vs, vs.Http[r], raw[r] as JsonObject ?? [], $"spec.http[{r}]");
            }
        }
    }

    /// <summary>False for a rule after a catch-all: it never sees a request (MD006 reports it).</summary>
    public bool IsReachable => Vs.Http.FirstOrDefault(r => r.IsCatchAll) is not { } catchAll || Rule.Index <= catchAll.Index;

    public Finding Finding(string code, FindingSeverity severity, string message, string field) =>
        new(code, severity, $"{Vs.Name}: rule \"{Rule.Label}\" {message}", Vs.Source.Ref, field);
}
