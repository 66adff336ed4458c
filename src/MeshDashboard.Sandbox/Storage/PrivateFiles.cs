using System.Text;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// Files and folders only their owner can read: the data directory holds the API token and every object,
/// Secrets included, so other local users must not see it. Modes are given at creation, not set afterwards,
/// so there is no moment in which a file exists with the process's default (usually world-readable) mode.
/// Windows has no such modes; there the folder inherits the per-user profile's ACLs.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (Directory.Exists(path))
        {
            return;
        }
        // The mode given to CreateDirectory applies to the last folder only; missing parents would get the default.
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent)
        {
            CreateDirectory(parent);
        }
        Directory.CreateDirectory(path, OwnerDirectory);
    }

    /// <summary>Writes to a temporary name, flushes to disk and renames, so a crash leaves the old or the new content.</summary>
    public static void WriteAtomically(string path, string content) => WriteAtomically(path, Encoding.UTF8.GetBytes(content));

    /// <inheritdoc cref="WriteAtomically(string, string)"/>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }
        using (var stream = new FileStream(temporary, options))
        {
            // UnixCreateMode only applies to a new file; a temporary left by a crash keeps its old mode.
            Restrict(temporary, OwnerFile);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Narrows what an older sandbox created with default modes: the directory itself and, below it, every
    /// folder and file the sandbox owns. Other entries someone put in the directory are left as they are.
    /// </summary>
    public static void Tighten(string dataDirectory, IEnumerable<string> ownedNames)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Restrict(dataDirectory, OwnerDirectory);
        foreach (var path in ownedNames.Select(name => Path.Combine(dataDirectory, name)))
        {
            if (File.Exists(path))
            {
                Restrict(path, OwnerFile);
            }
            else if (Directory.Exists(path))
            {
                Restrict(path, OwnerDirectory);
                foreach (var folder in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories))
                {
                    Restrict(folder, OwnerDirectory);
                }
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    Restrict(file, OwnerFile);
                }
            }
        }
    }

    private static void Restrict(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
