Console.WriteLine("wsload");
