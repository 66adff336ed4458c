using System.Text;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// One file per object under <c>objects/&lt;resource&gt;/&lt;namespace&gt;/&lt;name&gt;.json</c>, plus a revision file.
/// Every file is written to a temporary name, flushed to disk and renamed over the old one, so a crash
/// leaves either the old or the new content, never half of either. Folders and files are private to the
/// owner (<see cref="PrivateFiles"/>): objects include Secrets.
/// </summary>
public sealed class FileStatePersister : IStatePersister
{
    public const string ObjectsFolderName = "objects";
    public const string RevisionFileName = "revision";
    private const string ClusterScopedFolder = "_cluster";
    private readonly string _objectsDirectory;
    private readonly string _revisionFile;

    public FileStatePersister(string dataDirectory)
    {
        _objectsDirectory = Path.Combine(dataDirectory, ObjectsFolderName);
        _revisionFile = Path.Combine(dataDirectory, RevisionFileName);
        PrivateFiles.CreateDirectory(_objectsDirectory);
    }

    public PersistedState Load()
    {
        long revision = 0;
        if (File.Exists(_revisionFile) && long.TryParse(File.ReadAllText(_revisionFile).Trim(), out var saved))
        {
            revision = saved;
        }

        // Leftovers of a write interrupted before its rename carry no committed state.
        foreach (var temporary in Directory.EnumerateFiles(_objectsDirectory, "*.tmp", SearchOption.AllDirectories))
        {
            File.Delete(temporary);
        }

        return new PersistedState(revision, ReadObjects());
    }

    private IEnumerable<(string StorageKey, byte[] Json)> ReadObjects()
    {
        foreach (var resourceDirectory in Directory.EnumerateDirectories(_objectsDirectory))
        {
            var storageKey = Path.GetFileName(resourceDirectory);
            foreach (var file in Directory.EnumerateFiles(resourceDirectory, "*.json", SearchOption.AllDirectories))
            {
                yield return (storageKey, WithoutByteOrderMark(File.ReadAllBytes(file)));
            }
        }
    }

    // A file edited by hand may start with one; JSON readers refuse it.
    private static byte[] WithoutByteOrderMark(byte[] content) =>
        content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content;

    public void Save(StoredObject stored, long revision)
    {
        var path = PathOf(stored.Key);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        PrivateFiles.WriteAtomically(path, stored.Utf8Json.Span);
        PrivateFiles.WriteAtomically(_revisionFile, revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Delete(ObjectKey key, long revision)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        PrivateFiles.WriteAtomically(_revisionFile, revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private string PathOf(ObjectKey key) => Path.Combine(
        _objectsDirectory,
        key.Type.QualifiedName,
        key.Namespace.Length == 0 ? ClusterScopedFolder : key.Namespace,
        key.Name + ".json");
}
