/// The one script the pages use: on the case page, photos taken on the phone are scaled
/// down (at most 1600 pixels, JPEG) and sent to the API with the session's CSRF token. Served
/// by the node itself, as the content security policy requires.
enum CaseworkScript {
    static let javascript = """
        (function () {
          var box = document.getElementById('photo-upload');
          if (!box) { return; }
          var input = document.getElementById('photo-input');
          var status = document.getElementById('photo-status');
          function scaled(file) {
            return new Promise(function (resolve, reject) {
              var reader = new FileReader();
              reader.onerror = function () { reject(new Error('无法读取照片')); };
              reader.onload = function () {
                var image = new Image();
                image.onerror = function () { reject(new Error('不是 JPEG 或 PNG 图片')); };
                image.onload = function () {
                  var ratio = Math.min(1, 1600 / Math.max(image.width, image.height));
                  var canvas = document.createElement('canvas');
                  canvas.width = Math.max(1, Math.round(image.width * ratio));
                  canvas.height = Math.max(1, Math.round(image.height * ratio));
                  canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
                  resolve(canvas.toDataURL('image/jpeg', 0.85).split(',')[1]);
                };
                image.src = reader.result;
              };
              reader.readAsDataURL(file);
            });
          }
          document.getElementById('photo-send').addEventListener('click', function () {
            var files = Array.prototype.slice.call(input.files || []);
            if (files.length === 0) { status.textContent = '请先拍照或选择照片'; return; }
            status.textContent = '正在上传…';
            Promise.all(files.map(scaled)).then(function (photos) {
              return fetch('/api/v1/cases/' + box.dataset.case + '/photos', {
                method: 'POST', credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': box.dataset.csrf },
                body: JSON.stringify({ photos: photos })
              });
            }).then(function (response) {
              return response.json().then(function (body) {
                if (!response.ok) { throw new Error(body.error || ('上传失败 ' + response.status)); }
                status.textContent = '已上传 ' + body.photos.length + ' 张';
                window.location.reload();
              });
            }).catch(function (error) { status.textContent = error.message; });
          });
        })();
        """
}
