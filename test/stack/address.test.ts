import { describe, expect, it } from 'vitest';
import { formatEndpoint, parseFpmListen, parseGunicornBind, parseListenStream, parseNginxAddress, reaches, sameSocket } from '../../src/stack/address.js';

const ep = (s: string) => parseNginxAddress(s, 80)!;

describe('addresses', () => {
  it.each([
    ['unix:/run/php/php8.2-fpm.sock', 'unix:/run/php/php8.2-fpm.sock'],
    ['127.0.0.1:9000', '127.0.0.1:9000'],
    ['localhost', 'localhost:80'],
    ['[::1]:9000', '[::1]:9000'],
    ['web:8000', 'web:8000'],
  ])('nginx %s', (text, formatted) => expect(formatEndpoint(ep(text))).toBe(formatted));

  it('php-fpm listen forms', () => {
    expect(parseFpmListen('/run/php/x.sock')).toEqual({ kind: 'unix', path: '/run/php/x.sock' });
    expect(parseFpmListen('9000')).toEqual({ kind: 'tcp', host: '', port: 9000 });
    expect(parseFpmListen('127.0.0.1:9000')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9000 });
    expect(parseFpmListen('[::]:9000')).toEqual({ kind: 'tcp', host: '::', port: 9000 });
    expect(parseFpmListen('php.sock')).toEqual({ kind: 'unix', path: 'php.sock' });
  });

  it('gunicorn bind forms', () => {
    expect(parseGunicornBind('unix:/run/gunicorn.sock')).toEqual({ kind: 'unix', path: '/run/gunicorn.sock' });
    expect(parseGunicornBind('fd://3')).toEqual({ kind: 'fd', fd: 3 });
    expect(parseGunicornBind('0.0.0.0:8000')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 8000 });
    expect(parseGunicornBind('localhost')).toEqual({ kind: 'tcp', host: 'localhost', port: 8000 });
    expect(parseGunicornBind(':8001')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 8001 });
    expect(parseGunicornBind('tcp://[::1]:8000')).toEqual({ kind: 'tcp', host: '::1', port: 8000 });
  });

  it('systemd ListenStream forms', () => {
    expect(parseListenStream('/run/gunicorn.sock')).toEqual({ kind: 'unix', path: '/run/gunicorn.sock' });
    expect(parseListenStream('8000')).toEqual({ kind: 'tcp', host: '', port: 8000 });
    expect(parseListenStream('127.0.0.1:8000')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8000 });
  });

  it.each([
    ['127.0.0.1:9000', '127.0.0.1:9000', 'exact'],
    ['localhost:9000', '127.0.0.1:9000', 'exact'],
    ['localhost:9000', '[::1]:9000', 'exact'],
    ['127.0.0.1:9000', '0.0.0.0:9000', 'exact'],
    ['[::1]:9000', '0.0.0.0:9000', null], // 0.0.0.0 takes IPv4 only
    ['[::1]:9000', '[::]:9000', 'exact'],
    ['127.0.0.1:9000', '[::1]:9000', null],
    ['127.0.0.1:9000', '127.0.0.1:9001', null],
    ['web:8000', '0.0.0.0:8000', 'port'], // a container's service name: only the port agrees
    ['web:8000', '127.0.0.1:8000', null],
    ['10.0.0.5:9000', '0.0.0.0:9000', 'port'],
  ])('%s reaches a listener on %s: %s', (target, listener, expected) => {
    const l = listener === '0.0.0.0:9000' || listener === '0.0.0.0:8000' || listener.startsWith('[') || /^\d/.test(listener) ? parseGunicornBind(listener)! : ep(listener);
    expect(reaches(ep(target), l)).toBe(expected);
  });

  it('a bare FPM port listens on every address', () => {
    expect(reaches(ep('127.0.0.1:9000'), parseFpmListen('9000')!)).toBe('exact');
    expect(reaches(ep('[::1]:9000'), parseFpmListen('9000')!)).toBe('exact');
  });

  it('unix sockets: same path, /var/run is /run', () => {
    expect(reaches(ep('unix:/var/run/php-fpm.sock'), parseFpmListen('/run/php-fpm.sock')!)).toBe('exact');
    expect(reaches(ep('unix:/run/php-fpm.sock'), parseFpmListen('/run/php/php-fpm.sock')!)).toBe(null);
    expect(reaches(ep('unix:/run//php-fpm.sock'), parseFpmListen('/run/php-fpm.sock')!)).toBe('exact');
  });

  it('same socket: paths, or ports whose addresses overlap', () => {
    expect(sameSocket(parseFpmListen('9000')!, parseFpmListen('127.0.0.1:9000')!)).toBe(true);
    expect(sameSocket(parseFpmListen('127.0.0.1:9000')!, parseFpmListen('127.0.0.2:9000')!)).toBe(false);
    expect(sameSocket(parseFpmListen('/run/a.sock')!, parseFpmListen('/var/run/a.sock')!)).toBe(true);
  });
});
