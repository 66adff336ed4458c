namespace MeshDashboard.Sandbox.Storage;

/// <summary>Keeps the store's objects and revision counter across restarts.</summary>
public interface IStatePersister
{
    PersistedState Load();

    void Save(StoredObject stored, long revision);

    void Delete(ObjectKey key, long revision);
}

public sealed record PersistedState(long Revision, IReadOnlyList<(string StorageKey, string Json)> Objects);
