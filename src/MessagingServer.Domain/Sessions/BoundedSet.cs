namespace MessagingServer.Domain.Sessions;

/// <summary>A set that remembers at most <c>capacity</c> items, forgetting the oldest first.</summary>
public sealed class BoundedSet<T>(int capacity)
    where T : notnull
{
    private readonly HashSet<T> _items = [];
    private readonly Queue<T> _order = new();

    public int Count => _items.Count;

    /// <summary>The items, oldest first.</summary>
    public IEnumerable<T> InOrder => _order;

    public bool Contains(T item) => _items.Contains(item);

    /// <summary>Adds the item; <paramref name="forgotten"/> is the item pushed out to make room, if any.</summary>
    public bool Add(T item, out T? forgotten)
    {
        forgotten = default;
        if (!_items.Add(item))
        {
            return false;
        }

        _order.Enqueue(item);
        if (_order.Count > capacity)
        {
            forgotten = _order.Dequeue();
            _items.Remove(forgotten);
        }

        return true;
    }
}
