using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD018 (warning): a header match (<c>headers</c> or <c>withoutHeaders</c>) names a header with uppercase letters.
/// istiod accepts it (any RFC 7230 token: istio/istio pkg/config/validation/validation.go,
/// <c>ValidateHTTPHeaderNameOrJwtClaimRoute</c>), and header names match case-insensitively, but Istio's API asks for
/// lowercase keys, and an uppercase one reads as if case mattered. JWT claim routes (<c>@request.auth.claims.…</c>, whose
/// claim names are case-sensitive) and query parameters (case-sensitive) are not judged.
/// </summary>
internal sealed class UppercaseHeaderNameChecker : IChecker
{
    public string Code => FindingCodes.UppercaseHeaderName;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            var matches = http.Raw.Arr("match") ?? [];
            for (var m = 0; m < matches.Count; m++)
            {
                foreach (var key in new[] { "headers", "withoutHeaders" })
                {
                    foreach (var (name, _) in matches[m].Obj(key) ?? [])
                    {
                        if (!name.StartsWith('@') && name.Any(char.IsAsciiLetterUpper))
                        {
                            yield return http.Finding(Code, FindingSeverity.Warning,
                                $"matches header \"{name}\"; header names are compared case-insensitively and Istio asks for lowercase: write \"{name.ToLowerInvariant()}\".",
                                $"{http.Field}.match[{m}].{key}.{name}");
                        }
                    }
                }
            }
        }
    }
}
