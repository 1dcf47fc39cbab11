namespace MediaServer.Signaling.Realtime.Conversation;

/// <summary>
/// The default conversation: items in order. <c>previous_item_id</c> decides where a new item goes
/// (<c>root</c> = first; absent = last), so clients can rebuild the same order from the events.
/// </summary>
public sealed class ConversationLog
{
    private readonly List<ConversationItem> _items = [];

    public string Id { get; } = Protocol.RealtimeIds.Conversation();

    public IReadOnlyList<ConversationItem> Items => _items;

    public string? LastItemId => _items.Count == 0 ? null : _items[^1].Id;

    public ConversationItem? Find(string id) => _items.Find(i => i.Id == id);

    /// <summary>Inserts <paramref name="item"/>; returns the id of the item before it (null when first).</summary>
    public bool TryInsert(ConversationItem item, string? previousItemId, out string? actualPrevious)
    {
        actualPrevious = null;
        if (previousItemId is null)
        {
            actualPrevious = LastItemId;
            _items.Add(item);
            return true;
        }

        if (previousItemId == "root")
        {
            _items.Insert(0, item);
            return true;
        }

        int index = _items.FindIndex(i => i.Id == previousItemId);
        if (index < 0)
        {
            return false;
        }

        actualPrevious = previousItemId;
        _items.Insert(index + 1, item);
        return true;
    }

    /// <summary>The id of the item just before <paramref name="id"/>, or null when it is first (or absent).</summary>
    public string? PreviousId(string id)
    {
        int index = _items.FindIndex(i => i.Id == id);
        return index > 0 ? _items[index - 1].Id : null;
    }

    public bool Remove(string id) => _items.RemoveAll(i => i.Id == id) > 0;

    public bool Contains(string id) => _items.Exists(i => i.Id == id);
}
