System.Console.WriteLine("NativeAttention bench");
