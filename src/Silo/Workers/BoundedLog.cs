using System.Text;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// The last lines a run process printed, within <paramref name="maxChars"/> characters: the end of a log
/// says why a run failed or where it stopped, and a run that prints without end (a warning per batch) must
/// not fill the worker's memory or the database. Counts the lines it leaves out. Safe for one writer and
/// concurrent readers.
/// </summary>
public sealed class BoundedLog
{
    private readonly int maxChars;

    public BoundedLog(int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 2);
        this.maxChars = maxChars;
    }

    private readonly Queue<string> _lines = new();
    private int _chars;

    /// <summary>Lines left out at the start.</summary>
    public int Dropped { get; private set; }

    public void Add(string line)
    {
        // A single line as long as the whole bound keeps its end.
        if (line.Length >= maxChars) line = line[^(maxChars - 1)..];
        lock (_lines)
        {
            _lines.Enqueue(line);
            _chars += line.Length + 1;
            while (_chars > maxChars && _lines.Count > 0)
            {
                _chars -= _lines.Dequeue().Length + 1;
                Dropped++;
            }
        }
    }

    /// <summary>The kept lines, each ended by a newline.</summary>
    public string Text
    {
        get
        {
            lock (_lines)
            {
                var text = new StringBuilder(_chars);
                foreach (var line in _lines) text.Append(line).Append('\n');
                return text.ToString();
            }
        }
    }
}
