using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Analysis.Checkers;
using MeshDashboard.Mesh.Catalog;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis.Checkers;

/// <summary>Runs one checker on a snapshot, as the analyzer does, and checks it reports only its own code.</summary>
internal static class Checks
{
    public static List<Finding> Run(IChecker checker, MeshSnapshot snapshot)
    {
        var findings = checker.Check(snapshot, new MeshIndex(snapshot)).ToList();
        Assert.All(findings, f => Assert.Equal(checker.Code, f.Code));
        return findings;
    }

    public static Finding Single(IChecker checker, MeshSnapshot snapshot) => Assert.Single(Run(checker, snapshot));

    public static void None(IChecker checker, MeshSnapshot snapshot) => Assert.Empty(Run(checker, snapshot));

    /// <summary>Bookinfo with one more VirtualService, <c>extra</c>.</summary>
    public static MeshSnapshot WithVs(string spec, string name = "extra") => Bookinfo().With(Vs("bookinfo", name, spec));
}
