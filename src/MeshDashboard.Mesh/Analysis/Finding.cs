using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis;

public enum FindingSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// Something the analyzer noticed about the mesh configuration. <see cref="Code"/> is stable (documented,
/// safe to match on in automation); <see cref="Message"/> is for people.
/// </summary>
public sealed record Finding(string Code, FindingSeverity Severity, string Message, ObjectRef Object, string? Field = null);
