using System.Text;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

// Usage: OverlayPS.TestChild append <lower> <upper> <work> <union path> <text> [<go file>]
// Opens the stack, waits for <go file> to exist (so two children start together), then
// appends <text> to the file through the engine: a copy-up of a lower file, then a write.
if (args.Length < 6 || args[0] != "append")
{
    Console.Error.WriteLine("usage: append <lower> <upper> <work> <path> <text> [<go file>]");
    return 2;
}
var fs = new OverlayFs(new LayerStack(new[] { args[1] }, args[2], args[3]));
Console.WriteLine("ready");
Console.Out.Flush();
if (args.Length > 6)
{
    while (!File.Exists(args[6]))
        Thread.SpinWait(1000);
}
using (var s = fs.OpenWrite(args[4], FileMode.Append))
    s.Write(Encoding.UTF8.GetBytes(args[5]));
Console.WriteLine("done");
return 0;
