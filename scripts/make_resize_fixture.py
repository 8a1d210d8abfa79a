"""Writes fixtures/resize/pil_bicubic.json: PIL's Image.resize(BICUBIC) on a small random image, down and up.
Regenerate by hand: /usr/bin/python3 scripts/make_resize_fixture.py  (Debian python3-pil)."""
import json, random
import PIL
from PIL import Image

random.seed(0)
w, h = 23, 17
src = bytes(random.randrange(256) for _ in range(w * h * 3))
img = Image.frombytes('RGB', (w, h), src)
cases = []
for (ow, oh) in [(13, 29), (40, 9), (7, 5), (23, 17)]:
    cases.append({'size': [ow, oh], 'data': list(img.resize((ow, oh), Image.BICUBIC).tobytes())})
gray = img.convert('L')
json.dump({'pil': PIL.__version__, 'width': w, 'height': h, 'src': list(src), 'cases': cases, 'gray': list(gray.tobytes())},
          open('fixtures/resize/pil_bicubic.json', 'w'))
