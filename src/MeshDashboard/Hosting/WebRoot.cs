namespace MeshDashboard.Hosting;

/// <summary>
/// The static assets live in the repository's top-level <c>wwwroot</c> (the design card's layout). A
/// published build carries a copy next to the app; from source, the folder is found above the project.
/// </summary>
internal static class WebRoot
{
    public static string? Locate()
    {
        var published = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(published))
        {
            return published;
        }
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "wwwroot");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "MeshDashboard.sln")))
            {
                return candidate;
            }
        }
        return null;
    }
}
