# Adds an 'irot' (rotation) property to the primary item of a HEIC written by heif-enc 1.15.1, as iPhones do,
# and shifts the iloc offsets past the grown meta box. Offsets are those of that one file (see README.md).
# Usage: python3 add-irot.py in.heic out.heic 3   (3 = 270 degrees anticlockwise = turn 90 degrees clockwise)
import struct,sys
d=bytearray(open(sys.argv[1],'rb').read())
def setsize(off,delta):
  s=struct.unpack('>I',d[off:off+4])[0]; d[off:off+4]=struct.pack('>I',s+delta)
meta,iloc,iprp,ipco,ipma=28,87,195,203,364
assert d[ipma+4:ipma+8]==b'ipma' and d[ipco+4:ipco+8]==b'ipco'
# ipma: entry for item 1 has 3 associations; add 0x84 (essential, property 4 = irot)
assert d[ipma+18]==3
d[ipma+18]=4
d[ipma+22:ipma+22]=b'\x84'
setsize(ipma,1)
ipco_end=ipco+struct.unpack('>I',d[ipco:ipco+4])[0]
d[ipco_end:ipco_end]=struct.pack('>I4sB',9,b'irot',int(sys.argv[3]))
setsize(ipco,9); setsize(iprp,10); setsize(meta,10)
# iloc base offsets move by 10
for off in (iloc+20, iloc+38):
  v=struct.unpack('>I',d[off:off+4])[0]; d[off:off+4]=struct.pack('>I',v+10)
open(sys.argv[2],'wb').write(d)
