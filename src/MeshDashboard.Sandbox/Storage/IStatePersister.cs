namespace MeshDashboard.Sandbox.Storage;

/// <summary>Keeps the store's objects and revision counter across restarts.</summary>
public interface IStatePersister
{
    PersistedState Load();

    void Save(StoredObject stored, long revision);

    void Delete(ObjectKey key, long revision);
}

/// <summary>
/// What was kept: the revision counter, and the objects as UTF-8 JSON by the storage key of their kind. The objects are
/// read as they are enumerated, once: the store keeps what it takes from each, never every file at once beside it.
/// </summary>
public sealed record PersistedState(long Revision, IEnumerable<(string StorageKey, byte[] Json)> Objects);
