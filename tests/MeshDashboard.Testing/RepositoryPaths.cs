namespace MeshDashboard.Testing;

/// <summary>Finds the repository from a test's output folder (the folder holding MeshDashboard.sln).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MeshDashboard.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Tests must run from inside the MeshDashboard repository.");
    }
}
