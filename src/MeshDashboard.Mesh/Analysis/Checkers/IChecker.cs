using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// One analyzer rule: it owns one finding code and reports only that code. Each rule is a small type with its own
/// test file, and <see cref="MeshAnalyzer"/> composes them from a list (the layout of Kiali's
/// <c>business/checkers</c>, where each validation implements <c>checker.go</c>'s <c>Checker</c>).
/// </summary>
internal interface IChecker
{
    /// <summary>The <see cref="FindingCodes"/> entry every finding of this checker carries.</summary>
    string Code { get; }

    IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index);
}
